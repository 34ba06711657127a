#!/usr/bin/env node
// What VS Code's YAML extension would mark in data files: runs yaml-language-server over them with
// schemas/year.schema.json and prints its diagnostics as JSON, one object per file.
//
// Not part of the tool or of CI (it needs Node.js and the npm package). To use it:
//   npm install --prefix ~/yls yaml-language-server vscode-languageserver-textdocument
//   NODE_PATH=~/yls/node_modules node tools/editor_check.js samples/broken/*.yaml
// tests/test_editor_schema.py runs it when DANGJIAN_YLS names that node_modules folder.
'use strict';
const fs = require('fs');
const path = require('path');
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { URI } = require('vscode-uri');

const schema = path.resolve(__dirname, '..', 'schemas', 'year.schema.json');
const service = getLanguageService({
  schemaRequestService: async (uri) => fs.readFileSync(URI.parse(uri).fsPath, 'utf8'),
  workspaceContext: {
    resolveRelativePath: (relative, resource) =>
      URI.file(path.resolve(path.dirname(URI.parse(resource).fsPath), relative)).toString(),
  },
});
service.configure({ validate: true, completion: true, hover: true });

async function check(file) {
  // the data file's own modeline is replaced by one naming this checkout's schema, on the same line
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const modeline = `# yaml-language-server: $schema=${URI.file(schema).toString()}`;
  const shift = lines[0].startsWith('# yaml-language-server:') ? 0 : 1;
  if (shift) lines.unshift(modeline);
  else lines[0] = modeline;
  const document = TextDocument.create(URI.file(path.resolve(file)).toString(), 'yaml', 1, lines.join('\n'));
  const diagnostics = await service.doValidation(document, false);
  return {
    file,
    diagnostics: diagnostics.map((d) => ({
      line: d.range.start.line + 1 - shift, column: d.range.start.character + 1,
      severity: d.severity, message: d.message,
    })),
  };
}

(async () => {
  const results = [];
  for (const file of process.argv.slice(2)) results.push(await check(file));
  process.stdout.write(JSON.stringify(results, null, 1) + '\n');
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(2);
});
