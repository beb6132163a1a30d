import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config/app-config.js';
import { DatabaseInUseError } from './database/database-lock.js';

/**
 * What a user sees when the server cannot start: one line naming the setting to change, not a stack
 * trace from the driver that noticed (README: "a bad one stops the server with a message naming it").
 */
export function describeBootFailure(error: unknown, config: Pick<AppConfig, 'host' | 'port' | 'databasePath'>): string {
  const { code, message, syscall, path } = error as { code?: string; message?: string; syscall?: string; path?: string };
  if (error instanceof DatabaseInUseError) {
    return `DATABASE_URL '${config.databasePath}' is in use by another oncepay process (it holds ${error.lockPath}): stop it, or give each server its own DATABASE_URL (sqlite::memory: for a throwaway one)`;
  }
  switch (code) {
    case 'EADDRINUSE':
      return `port ${config.port} on ${config.host} is already in use: stop what holds it, or set PORT to another port`;
    case 'EACCES':
      // Creating the database's folder fails this way too.
      if (syscall !== 'listen') {
        return `cannot create '${path ?? config.databasePath}' for DATABASE_URL '${config.databasePath}' (permission denied): set DATABASE_URL to a place this user can write`;
      }
      return `not allowed to listen on port ${config.port} (ports below 1024 need privileges): set PORT to another port`;
    case 'SQLITE_READONLY':
      return `the database file '${config.databasePath}' cannot be written (a read-only file or folder): set DATABASE_URL to a file this user can write`;
    case 'SQLITE_CORRUPT':
      return `DATABASE_URL names '${config.databasePath}', which is damaged (database disk image is malformed): restore it from a copy, or point DATABASE_URL at a new path`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST '${config.host}' is not an address of this machine: set HOST to one (127.0.0.1, ::1, 0.0.0.0)`;
    case 'SQLITE_NOTADB':
      return `DATABASE_URL names '${config.databasePath}', which is not a SQLite database: point it at an oncepay file or a new path`;
    case 'SQLITE_CANTOPEN':
      return `cannot open the database file '${config.databasePath}' (a directory, or a place that cannot be written): set DATABASE_URL to a file path`;
    default:
      return message ?? String(error);
  }
}

/** The URL a client should use: the port actually bound (PORT=0 picks one), an IPv6 host in brackets. */
export function listeningUrl(address: AddressInfo | string | null, fallbackHost: string): string {
  if (address === null || typeof address === 'string') return `http://${fallbackHost}`;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
