// npm run bench [-- --quick]. The server is measured as it is deployed, with
// NODE_ENV=production unless set otherwise: graphql-js reads it when it is
// first imported (it skips development-only checks), so it is set here,
// before anything imports the server.
process.env.NODE_ENV ??= 'production';
const { benchmark } = await import('./main.js');
await benchmark();
