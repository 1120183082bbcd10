// SPDX-License-Identifier: Apache-2.0
import { File as NodeFile } from 'node:buffer';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { uploads } from '@/testing/mocks/handlers/documents';
import { renderApp } from '@/testing/test-utils';
import { DocumentUpload } from './document-upload';

const patientId = '10000000-0000-4000-8000-000000000001';

/** A file the test's fetch can send as a body (jsdom's own File is not one Node's fetch reads). */
function file(content: string, name: string, type: string): File {
  return new NodeFile([content], name, { type }) as unknown as File;
}

describe('DocumentUpload', () => {
  it('sends the raw bytes with the category, title and visibility, the title taken from the file name', async () => {
    const { user } = renderApp(<DocumentUpload patientId={patientId} />);
    await user.upload(
      screen.getByLabelText('File'),
      file('Je consens aux soins.', 'consentement_soins.txt', 'text/plain'),
    );
    expect(screen.getByLabelText(/^Title/)).toHaveValue('consentement soins');
    await user.selectOptions(screen.getByLabelText(/^Category/), 'consent');
    await user.click(screen.getByLabelText('Visible to the patient in the portal'));
    await user.click(screen.getByRole('button', { name: 'Upload the document' }));

    expect(await screen.findByText('Document added.')).toBeInTheDocument();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.text).toBe('Je consens aux soins.');
    expect(uploads[0]!.contentType).toBe('text/plain');
    expect(uploads[0]!.query).toMatchObject({
      category: 'consent',
      title: 'consentement soins',
      filename: 'consentement_soins.txt',
      visible_to_patient: 'false',
    });
  });

  it('says in words that the server refused the file type (415)', async () => {
    const { user } = renderApp(<DocumentUpload patientId={patientId} />);
    await user.upload(screen.getByLabelText('File'), file('MZ\u0090 program', 'scan.pdf', 'application/pdf'));
    await user.click(screen.getByRole('button', { name: 'Upload the document' }));
    expect(
      await screen.findByText('File type refused: only PDF, JPEG, PNG, DICOM and text files are accepted.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('File')).toHaveAttribute('aria-invalid', 'true');
    expect(uploads).toHaveLength(0);
  });

  it('asks for a file first', async () => {
    const { user } = renderApp(<DocumentUpload patientId={patientId} />);
    await user.click(screen.getByRole('button', { name: 'Upload the document' }));
    expect(await screen.findByText('Choose a file.')).toBeInTheDocument();
  });
});
