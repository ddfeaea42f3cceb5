// Schema migrations, applied in order on open. Never edit a shipped step: add one.
export const MIGRATIONS: string[] = [
  // 1: resources as JSON documents; seq keeps creation order for describes and pagination.
  `CREATE TABLE resources (
     kind TEXT NOT NULL,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (kind, account, region, id)
   );
   CREATE INDEX resources_by_scope ON resources (kind, account, region, seq);
   CREATE INDEX resources_by_kind ON resources (kind, seq);`,
];
