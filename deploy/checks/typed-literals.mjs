// SPDX-License-Identifier: Apache-2.0
// Shared by the type checkers (k8s-types.mjs, grafana-types.mjs): writes a TypeScript file of
// typed literals to a temporary directory, compiles it with `tsc --strict` and returns each
// diagnostic as "LABEL: LINE -> MESSAGE", LABEL being the owner of the literal's line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";

/**
 * header: lines before the literals (imports, types); lines: the literals' lines; owner: for each
 * of those lines, its label; paths: tsc `paths` mapping module names to directories.
 */
export function compileLiterals({ header, lines, owner, paths }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "typed-literals-"));
  const source = path.join(dir, "literals.ts");
  fs.writeFileSync(source, [...header, ...lines].join("\n") + "\n");
  const program = ts.createProgram([source], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: dir,
    paths,
  });
  const errors = [];
  for (const diag of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diag.messageText, " ");
    if (!diag.file || diag.start === undefined || diag.file.fileName !== source) {
      errors.push(`tsc: ${text}`);
      continue;
    }
    const { line } = diag.file.getLineAndCharacterOfPosition(diag.start);
    const at = line - header.length;
    if (at < 0) errors.push(`tsc: ${text}`);
    else errors.push(`${owner[at]}: ${lines[at].trim()} -> ${text}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return errors;
}
