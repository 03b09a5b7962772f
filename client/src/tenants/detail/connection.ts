/** What the Database tab offers to copy: a connection URI and a psql command. */
export type ConnectionStrings = { uri: string; psql: string };

/**
 * The tenant database's connection URI and `psql` command, without the password until it has been
 * revealed (then with it, percent-encoded, as the revealed value already is on screen). Host, user
 * and database are encoded too, so a name with `@` or `/` cannot change where the URI points.
 */
export function connectionStrings(
  database: { host: string; port: number; database: string; user: string },
  password: string | null,
): ConnectionStrings {
  const user = encodeURIComponent(database.user);
  const secret = password === null ? '' : `:${encodeURIComponent(password)}`;
  const host = database.host.includes(':') ? `[${database.host}]` : database.host;
  const uri = `postgresql://${user}${secret}@${host}:${database.port}/${encodeURIComponent(database.database)}`;
  // Single quotes keep the shell from reading anything in the URI; a quote inside is closed and escaped.
  return { uri, psql: `psql '${uri.replaceAll("'", `'\\''`)}'` };
}
