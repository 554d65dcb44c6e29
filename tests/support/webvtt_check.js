// Parse WebVTT files with the W3C WebVTT parser (the npm package webvtt-parser, which backs the
// W3C validator) and print what it found as one JSON object on stdout:
//   {"<file>": {"errors": [{"message", "line", "col"}], "cues": [{"id", "start", "end", "text"}]}}
// Run by tests/support/validators.py as `node tests/support/webvtt_check.js FILE...`; the package
// comes from the project's node_modules (package.json, installed by scripts/setup.sh).
"use strict";

const fs = require("fs");
const { WebVTTParser } = require("webvtt-parser");
// The full table of named character references, as the specification has it (the parser's
// default knows only a handful).
const entities = require("webvtt-parser/html-entities.json");

// The literal text of a parsed cue: its text nodes, in order, with the markup dropped.
function textOf(nodes) {
  return nodes
    .map((node) => (node.type === "text" ? node.value : textOf(node.children || [])))
    .join("");
}

const report = {};
for (const file of process.argv.slice(2)) {
  const parsed = new WebVTTParser(entities).parse(fs.readFileSync(file, "utf8"), "subtitles");
  report[file] = {
    errors: parsed.errors.map((e) => ({ message: e.message, line: e.line, col: e.col === undefined ? null : e.col })),
    cues: parsed.cues.map((cue) => ({
      id: cue.id,
      start: cue.startTime,
      end: cue.endTime,
      text: textOf(cue.tree.children),
    })),
  };
}
process.stdout.write(JSON.stringify(report));
