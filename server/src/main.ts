// Language server process entry: create the connection, route console to it, start the server.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer.js';

const connection = createConnection(ProposedFeatures.all);
// The server's stdout may be the LSP channel: console output must go to the client's log instead.
// eslint-disable-next-line no-console -- route console output to the client log
console.log = connection.console.log.bind(connection.console);
// eslint-disable-next-line no-console -- route console output to the client log
console.error = connection.console.error.bind(connection.console);
startServer(connection);
connection.listen();
