/** Test-only settings, read in one place. */
export function postgresTestUrl(): string {
  return process.env.YUNWEI_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** In CI every peer must be there: a test that would skip fails instead. */
export function requireAll(): boolean {
  return process.env.YUNWEI_REQUIRE_ALL === '1';
}

export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.YUNWEI_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}
