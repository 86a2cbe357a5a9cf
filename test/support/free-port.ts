// The demo's (it starts a redis-server on one too).
export { freePort } from '../../src/demo/free-port.js';
