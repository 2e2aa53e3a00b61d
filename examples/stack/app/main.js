// Starts the part of the stack this image was built for (APP: store, api or worker).
const parts = ['store', 'api', 'worker'];
const app = process.env.APP ?? '';
if (!parts.includes(app)) {
  console.error(`APP must be one of ${parts.join(', ')}, got "${app}"`);
  process.exit(1);
}
await import(`./${app}.js`);
