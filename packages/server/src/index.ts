export { loadConfig, ConfigError, type Config } from './config.ts';
export { createServer, type ServerOptions, type TasksServer } from './server.ts';
