import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes a file so that a crash or power cut leaves either the old or the new content, never a torn
 * or empty one: written to a temporary file, flushed to disk, renamed over, and the rename flushed.
 */
export function writeDurably(file: string, content: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/**
 * Appends to a journal file so that a line is on disk when this returns: written in one `write` with
 * the `a` flag and flushed (fsync). A crash mid-append can leave only a torn last line, which readers
 * of journals skip; the folder is flushed when the file is created.
 */
export function appendDurably(file: string, content: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  let created = false;
  let fd: number;
  try {
    fd = openSync(file, "ax");
    created = true;
  } catch {
    fd = openSync(file, "a");
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) {
    const dirFd = openSync(dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
