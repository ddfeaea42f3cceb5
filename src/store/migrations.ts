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
  // 2: the next seq from an index instead of a scan of every row; listWhere
  // over the members of INDEXED_FIELDS (store.ts) from expression indexes,
  // seq last so that they also give the order. The expressions must stay
  // exactly as sqlite.ts queries them.
  `CREATE INDEX resources_by_seq ON resources (seq);
   CREATE INDEX resources_by_vpc ON resources (kind, account, region, json_extract(body, '$.VpcId'), seq);
   CREATE INDEX resources_by_subnet ON resources (kind, account, region, json_extract(body, '$.SubnetId'), seq);
   CREATE INDEX resources_by_group ON resources (kind, account, region, json_extract(body, '$.GroupId'), seq);`,
  // 3: a revision per row, new on every put, so that a reader can keep what it
  // derived from a body (the DNS server's zone index) until the row changes
  // (Store.revisions).
  `ALTER TABLE resources ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;`,
];
