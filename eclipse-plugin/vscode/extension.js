// Starts the AVPS language server (`java -jar avps-language-server.jar`, LSP over stdio) for .avps
// files. Highlighting comes from the TextMate grammar alone and works without the server.
const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('avps.server');
  const jar = settings.get('jar') || context.asAbsolutePath(path.join('server', 'avps-language-server.jar'));
  const server = { command: settings.get('java') || 'java', args: ['-jar', jar] };
  client = new LanguageClient('avps', 'AVPS language server', server, {
    documentSelector: [{ scheme: 'file', language: 'avps' }],
  });
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
