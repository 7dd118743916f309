// A numbered schema change. Versions go up in tens; each runs in its own transaction that also sets user_version.
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
