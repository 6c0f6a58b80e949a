// Where the gate's scripts load Node modules from: the project's node_modules
// (KLPUBLISH_NODE_PROJECT, set by klpublish). An installed klpublish keeps these scripts
// where no node_modules is above them.
const { createRequire } = require("node:module");
const { resolve } = require("node:path");

const project = process.env.KLPUBLISH_NODE_PROJECT;
module.exports = createRequire(project ? resolve(project, "package.json") : __filename);
