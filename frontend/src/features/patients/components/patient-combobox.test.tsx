// SPDX-License-Identifier: Apache-2.0
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import { PatientCombobox } from './patient-combobox';

describe('PatientCombobox', () => {
  it('searches as you type, ignoring accents, and debounces the requests', async () => {
    const queries: string[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/v1/patients') queries.push(url.searchParams.get('q') ?? '');
    });
    const { user } = renderApp(<PatientCombobox label="Search" onSelect={vi.fn()} />);
    await user.type(screen.getByRole('combobox', { name: 'Search' }), 'helene');

    const list = await screen.findByRole('listbox');
    const options = await within(list).findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringContaining('DUPONT Hélène'),
      expect.stringContaining('BÉRARD Hélène'),
    ]);
    expect(screen.getByText('2 results')).toBeInTheDocument();
    // One request for the settled text, not one per keystroke.
    expect(queries).toEqual(['helene']);
    server.events.removeAllListeners();
  });

  it('moves through the results with the arrow keys and picks with Enter', async () => {
    const onSelect = vi.fn();
    const { user } = renderApp(<PatientCombobox label="Search" onSelect={onSelect} />);
    const input = screen.getByRole('combobox');
    await user.type(input, 'hél');
    await screen.findAllByRole('option');

    await user.keyboard('{ArrowDown}{ArrowDown}');
    const active = screen.getAllByRole('option')[1]!;
    expect(active).toHaveAttribute('aria-selected', 'true');
    expect(input).toHaveAttribute('aria-activedescendant', active.id);
    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');

    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ last_name: 'Dupont' }));
  });

  it('looks up a record number exactly', async () => {
    let seen: URLSearchParams | undefined;
    server.use(
      http.get('*/api/v1/patients', ({ request }) => {
        seen = new URL(request.url).searchParams;
        return HttpResponse.json({ items: [], next_cursor: null });
      }),
    );
    const { user } = renderApp(<PatientCombobox label="Search" onSelect={vi.fn()} />);
    await user.type(screen.getByRole('combobox'), 'ms00000455');
    expect(await screen.findByText('No patient matches.')).toBeInTheDocument();
    expect(seen?.get('mrn')).toBe('MS00000455');
    expect(seen?.has('q')).toBe(false);
  });

  it('clears with Escape', async () => {
    const { user } = renderApp(<PatientCombobox label="Search" onSelect={vi.fn()} />);
    const input = screen.getByRole('combobox');
    await user.type(input, 'theo');
    await screen.findAllByRole('option');
    await user.keyboard('{Escape}');
    expect(input).toHaveValue('');
    expect(screen.getByRole('listbox', { hidden: true })).toHaveAttribute('hidden');
  });
});
