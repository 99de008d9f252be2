import { describe, expect, it } from 'vitest';
import { dialectOf, redactDatabaseUrl } from '../../src/db/dialect.js';

describe('database URLs', () => {
  it('name their dialect', () => {
    expect(dialectOf('sqlite:data/newloom.db')).toBe('sqlite');
    expect(dialectOf('sqlite::memory:')).toBe('sqlite');
    expect(dialectOf('postgres://u:p@h:5432/d')).toBe('postgres');
    expect(dialectOf('postgresql://h/d')).toBe('postgres');
    expect(dialectOf('mysql://h/d')).toBeUndefined();
  });

  it('never show a password in logs', () => {
    expect(redactDatabaseUrl('postgres://newloom:s3cret@db:5432/newloom')).toBe(
      'postgres://newloom:***@db:5432/newloom',
    );
    expect(redactDatabaseUrl('postgres://newloom@db/newloom')).toBe('postgres://newloom@db/newloom');
    expect(redactDatabaseUrl('sqlite:/data/newloom.db')).toBe('sqlite:/data/newloom.db');
  });
});
