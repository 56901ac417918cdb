import GRDB

/// The store's schema, as a list of migrations applied in order.
///
/// Never edit a migration once it has been released: stores in the field have already run it.
/// Add a new one instead. (v1 was rewritten before any release — op log keyed in serving order, ops
/// grouped per row, `note_text` without its unread copy of the text, unique case aliases — because no store
/// existed outside development; a v2 that rebuilt every table would have carried the old schema
/// along for nobody.) Tables fall in three groups:
/// - the op log (`ops`, `pending`, `versions`), which sync serves from and which is the truth;
/// - materialised tables (`entities`, `fields`, `set_elements`, `note_text`, `fts`), which are the
///   op log folded through `EntityState.apply` and serve queries; they change in the same
///   transaction as the log;
/// - local-only tables (`settings`, `case_aliases`, `made_spaces`) that sync never reads and never sends.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 op log, materialised state, local tables", migrate: v1)
        migrator.registerMigration("v2 merge marks and peer replicas", migrate: v2MergeMarksAndPeerReplicas)
        migrator.registerMigration("v3 made spaces", migrate: v3MadeSpaces)
        migrator.registerMigration("v4 index of the random part of entity ids", migrate: v4EntityTailIndex)
        migrator.registerMigration("v5 register entries named by seq, record authors", migrate: v5RegisterEntriesAndAuthors)
        migrator.registerMigration("v6 authors' checkpoints and faulty replicas", migrate: v6Authorship)
        migrator.registerMigration("v7 which note each shared evidence record came from", migrate: v7SharedFrom)
        migrator.registerMigration("v8 the keys of evidence records written here", migrate: v8EvidenceKeys)
        migrator.registerMigration("v9 notes received but not yet in the search index", migrate: v9SearchBacklog)
        migrator.registerMigration("v10 what each peer held at the last sync", migrate: v10PeerVectors)
        migrator.registerMigration("v11 the search backlog names notes, it holds no text", migrate: v11SearchBacklogRefs)
        migrator.registerMigration("v12 the tail index keys two bytes", migrate: v12ShorterTailIndex)
        migrator.registerMigration("v13 rows of an entity checked against it at commit", migrate: v13DeferredEntityReferences)
        return migrator
    }

    private static func v1(_ db: Database) throws {
        // Local-only key/value settings: this replica's id, the clock's last reading.
        try db.execute(sql: """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value ANY
            ) STRICT;

            -- The op log, keyed in the order sync serves it: (space, timestamp, replica, seq),
            -- Protocol.md's order. A row holds one op (payload: its standalone encoding) or a group
            -- of op_count consecutive ops of one replica on one entity (OpCodec.encodeGroup), at
            -- its first op's place; seq…last_seq is every seq the row covers. WITHOUT
            -- ROWID, so the row is the key and appending an op writes two B-tree entries (this and
            -- ops_by_entity) instead of four (rowid table, UNIQUE(space, replica, seq), an HLC index
            -- and the entity index). No UNIQUE(space, replica, seq): an op is logged only when the
            -- space's version vector lacks its seq (Delivery.verdict), which makes seqs unique.
            -- entity refers to entities.ref (small keys keep the log's index small). Not declared as
            -- a foreign key: the session writes an entity's row before its ops, in the same
            -- transaction, and entities are never deleted; the check cost a lookup per op.
            CREATE TABLE ops (
                space TEXT NOT NULL,
                hlc_ms INTEGER NOT NULL,
                hlc_counter INTEGER NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                last_seq INTEGER NOT NULL,
                entity INTEGER NOT NULL,
                -- The tag of the row's first op (OpLogRows.kind): 1 create … 9 erased.
                kind INTEGER NOT NULL,
                op_count INTEGER NOT NULL DEFAULT 1,
                payload BLOB NOT NULL,
                PRIMARY KEY (space, hlc_ms, hlc_counter, replica, seq)
            ) STRICT, WITHOUT ROWID;
            -- History and purge: every op of one entity.
            CREATE INDEX ops_by_entity ON ops (entity);
            -- Where a peer's first missing op can be: the timestamp of a replica's op at a seq,
            -- for the first op of each replica in a transaction and one in 256 seqs (OpMarks).
            CREATE TABLE op_marks (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                hlc_ms INTEGER NOT NULL,
                hlc_counter INTEGER NOT NULL,
                PRIMARY KEY (space, replica, seq)
            ) STRICT, WITHOUT ROWID;

            -- Remote ops that arrived before something they depend on; retried after each batch.
            CREATE TABLE pending (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                hlc_ms INTEGER NOT NULL,
                hlc_counter INTEGER NOT NULL,
                entity BLOB NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (space, replica, seq)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX pending_by_entity ON pending (entity);

            -- Per space: replica → highest contiguous seq held.
            CREATE TABLE versions (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (space, replica)
            ) STRICT, WITHOUT ROWID;

            -- Materialised entities. kind is NULL while only ops other than create are known.
            -- deleted_* is the last-writer-wins deleted register (NULL: never written).
            CREATE TABLE entities (
                ref INTEGER PRIMARY KEY,
                id BLOB NOT NULL UNIQUE,
                space TEXT NOT NULL,
                kind INTEGER,
                created_ms INTEGER,
                created_counter INTEGER,
                updated_ms INTEGER,
                updated_counter INTEGER,
                deleted INTEGER NOT NULL DEFAULT 0,
                deleted_ms INTEGER,
                deleted_counter INTEGER,
                deleted_replica BLOB,
                purged INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            CREATE INDEX entities_by_created ON entities (kind, created_ms, created_counter);

            -- Last-writer-wins fields. type: 0 null, 1 bool, 2 int, 3 double, 4 string.
            CREATE TABLE fields (
                entity INTEGER NOT NULL REFERENCES entities(ref),
                key TEXT NOT NULL,
                type INTEGER NOT NULL,
                value ANY,
                stamp_ms INTEGER NOT NULL,
                stamp_counter INTEGER NOT NULL,
                stamp_replica BLOB NOT NULL,
                PRIMARY KEY (entity, key)
            ) STRICT, WITHOUT ROWID;
            -- A case's notes, and a token's case entity, without scanning every field.
            CREATE INDEX fields_case ON fields (value) WHERE key = 'case';
            CREATE INDEX fields_token ON fields (value) WHERE key = 'token';

            -- Observed-remove sets (tags, links): one row per live addition (dot).
            CREATE TABLE set_elements (
                entity INTEGER NOT NULL REFERENCES entities(ref),
                set_name TEXT NOT NULL,
                element TEXT NOT NULL,
                dot_replica BLOB NOT NULL,
                dot_seq INTEGER NOT NULL,
                PRIMARY KEY (entity, set_name, element, dot_replica, dot_seq)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX set_elements_tags ON set_elements (element) WHERE set_name = 'tags';

            -- A note body: the sequence CRDT state the next op applies to (it holds the visible
            -- text too; the fts row keeps the copy that search and snippets read).
            CREATE TABLE note_text (
                entity INTEGER PRIMARY KEY REFERENCES entities(ref),
                state BLOB NOT NULL
            ) STRICT;

            -- Full-text search over live notes; rowid = entities.ref. Deleted and purged notes
            -- have no row. The table keeps its own copy of the text for snippet().
            CREATE VIRTUAL TABLE fts USING fts5 (text, tags, fields, tokenize = 'unicode61 remove_diacritics 2');

            -- Local-only: a worker's private names for case tokens. Never synced.
            CREATE TABLE case_aliases (
                token TEXT PRIMARY KEY NOT NULL,
                -- Unique per device: an alias names one case wherever a token is accepted.
                alias TEXT NOT NULL UNIQUE
            ) STRICT;
            """)
    }

    /// Local-only: which notes a sync merged from concurrent changes (so `show` and `history` can
    /// say so later), and which device each replica id that synced directly with this store
    /// belongs to (so `history` can name colleagues). Neither is ever synced.
    private static func v2MergeMarksAndPeerReplicas(_ db: Database) throws {
        try db.execute(sql: """
            -- One row per note and sync that met concurrent changes (MergeDetection). The vectors
            -- (MergeMarkRows.encode) say what each side had seen, so history can rebuild each
            -- side's text before the merge from the op log.
            CREATE TABLE merge_marks (
                -- The key's columns come first: SQLite 3.40's integrity_check misreads a WITHOUT
                -- ROWID table whose key columns follow others (it reports NULLs that are not there).
                entity INTEGER NOT NULL REFERENCES entities(ref),
                -- The sender's vector of the space when the sync began.
                remote_vector BLOB NOT NULL,
                merged_ms INTEGER NOT NULL,
                -- 1 when both sides edited the text.
                text INTEGER NOT NULL,
                -- The fields both sides set, newline-separated ('' when none).
                fields TEXT NOT NULL,
                -- The replicas that made the concurrent changes, 16 bytes each: this side's
                -- (unseen by the sender) and the received ones.
                local_authors BLOB NOT NULL,
                remote_authors BLOB NOT NULL,
                -- The replica that sent the received changes.
                sender BLOB NOT NULL,
                -- This store's vector of the space when the sync began.
                local_vector BLOB NOT NULL,
                PRIMARY KEY (entity, remote_vector)
            ) STRICT, WITHOUT ROWID;

            -- The device (its id as `fieldnote id` prints it) whose store has this replica id, as
            -- that device said in the HELLO of a sync with this store.
            CREATE TABLE peer_replicas (
                replica BLOB PRIMARY KEY NOT NULL,
                device TEXT NOT NULL,
                learned_ms INTEGER NOT NULL
            ) STRICT;
            """)
    }

    /// The spaces made on this device with `spaces add`, so that a space name typed anywhere
    /// else can be checked against them (team and evidence always exist and are not stored).
    private static func v3MadeSpaces(_ db: Database) throws {
        try db.execute(sql: """
            -- Local-only: spaces made here. Never synced: a peer's spaces become known here by
            -- syncing them (their ops), not through this table.
            CREATE TABLE made_spaces (
                name TEXT PRIMARY KEY NOT NULL,
                made_ms INTEGER NOT NULL
            ) STRICT;
            """)
    }

    /// People name entities by a prefix of the random part of their id (`ShownIDs`), not of its
    /// time part: this index turns such a prefix into a range scan. `substr` of a blob counts
    /// bytes, so `substr(id, 7)` is the 10 random bytes after the 6 bytes of milliseconds.
    private static func v4EntityTailIndex(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX entities_by_tail ON entities (substr(id, 7))")
    }

    /// Registers (fields, the bin flag) keep every write no later write has replaced, each named
    /// by its op's seq so the next write can list it in its `pred` (Protocol.md); an entity keeps
    /// the replica of its `create`, the only one that may change an evidence record. The rows of
    /// an older store are filled in from its op log (`RegisterRows.backfill`).
    private static func v5RegisterEntriesAndAuthors(_ db: Database) throws {
        try db.execute(sql: """
            -- The seq of the op that wrote the visible entry (fields) and the bin flag (entities).
            ALTER TABLE fields ADD COLUMN stamp_seq INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE entities ADD COLUMN deleted_seq INTEGER;
            -- The replica whose create op made the entity (EntityState.author).
            ALTER TABLE entities ADD COLUMN author BLOB;

            -- A register's surviving entries other than the visible one: writes made concurrently
            -- with it that no later write has replaced. key '' is the bin flag's register.
            CREATE TABLE register_siblings (
                entity INTEGER NOT NULL REFERENCES entities(ref),
                key TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                stamp_ms INTEGER NOT NULL,
                stamp_counter INTEGER NOT NULL,
                type INTEGER NOT NULL,
                value ANY,
                PRIMARY KEY (entity, key, replica, seq)
            ) STRICT, WITHOUT ROWID;
            """)
        try RegisterRows.backfill(db)
    }

    /// Authenticated authorship (Protocol.md 2.8): the checkpoints authors signed over their hash
    /// chains, kept so that this store can check what it receives and prove to others what it
    /// relays; and the replicas caught signing two different histories.
    private static func v6Authorship(_ db: Database) throws {
        try db.execute(sql: """
            -- A checkpoint: the author of `replica` signed (space, replica, seq, hash), hash being
            -- its chain over every op of the replica in the space up to seq. Synced: relays forward
            -- them unchanged.
            CREATE TABLE checkpoints (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                hash BLOB NOT NULL,
                public_key BLOB NOT NULL,
                signature BLOB NOT NULL,
                PRIMARY KEY (space, replica, seq)
            ) STRICT, WITHOUT ROWID;

            -- Where each replica's chain stands here: the hash after the last op of it that this
            -- store verified (it may lie between two checkpoints). Local-only: what arrives next
            -- must extend it, or its author signed two histories.
            CREATE TABLE chain_heads (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                hash BLOB NOT NULL,
                PRIMARY KEY (space, replica)
            ) STRICT, WITHOUT ROWID;

            -- The digest of each erased op's authored bytes before the purge that erased it:
            -- synced with the erased op, so its chain still verifies.
            CREATE TABLE erased_digests (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                digest BLOB NOT NULL,
                PRIMARY KEY (space, replica, seq)
            ) STRICT, WITHOUT ROWID;

            -- Local-only: replicas whose author signed two different ops under one id. Their ops
            -- of the second history are refused; `status` names them.
            CREATE TABLE faulty_replicas (
                space TEXT NOT NULL,
                replica BLOB NOT NULL,
                seq INTEGER NOT NULL,
                detected_ms INTEGER NOT NULL,
                peer TEXT NOT NULL,
                PRIMARY KEY (space, replica)
            ) STRICT, WITHOUT ROWID;
            """)
    }

    /// An evidence record never names the note it was shared from (that would link it back to a
    /// case); the device that shared it keeps the link, so purging the note can offer to withdraw
    /// what was shared from it.
    private static func v7SharedFrom(_ db: Database) throws {
        try db.execute(sql: """
            -- Local-only: never synced, and dropped with the note's purge.
            CREATE TABLE shared_from (
                record BLOB PRIMARY KEY NOT NULL,
                note BLOB NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX shared_from_note ON shared_from (note);
            """)
    }

    /// Each evidence record is written by a key of its own, so nothing links it to this device
    /// (Protocol.md 3.3); the device that wrote it keeps the key's seed to withdraw it.
    private static func v8EvidenceKeys(_ db: Database) throws {
        try db.execute(sql: """
            -- Local-only: never synced; a row goes with the record's withdrawal.
            CREATE TABLE evidence_keys (
                record BLOB PRIMARY KEY NOT NULL,
                seed BLOB NOT NULL
            ) STRICT, WITHOUT ROWID;
            """)
    }

    /// A batch received from a peer no longer writes the FTS5 index in its own transaction: it
    /// leaves each note it changes here, in the same transaction, and `SearchBacklog.drain`
    /// moves them into the index later (before any search). An existing store starts empty.
    private static func v9SearchBacklog(_ db: Database) throws {
        try db.execute(sql: """
            -- Local-only: the fts row each note should have, one per live note whose fts row is
            -- missing; rowid = entities.ref, as in fts. Never synced.
            CREATE TABLE search_backlog (
                ref INTEGER PRIMARY KEY,
                text TEXT NOT NULL,
                tags TEXT NOT NULL,
                fields TEXT NOT NULL
            ) STRICT;
            """)
    }

    /// A client remembers what each server held at their last sync, so its next session sends
    /// the ops the server lacks with its HELLO instead of a round trip later (Protocol.md 2.4).
    private static func v10PeerVectors(_ db: Database) throws {
        try db.execute(sql: """
            -- Local-only: never synced. A lower bound on what the device held; a wrong one costs
            -- one more turn of the next session, never an op.
            CREATE TABLE peer_vectors (
                device TEXT NOT NULL,
                space TEXT NOT NULL,
                vector BLOB NOT NULL,
                PRIMARY KEY (device, space)
            ) STRICT, WITHOUT ROWID;
            """)
    }

    /// The search backlog keeps only which notes to index: the drain reads their text, tags and
    /// fields from the rows the note already has (`SearchBacklog.drain`), so a received note's
    /// text is not written a second time in the batch's transaction. The notes waiting keep
    /// waiting; nothing else changes.
    private static func v11SearchBacklogRefs(_ db: Database) throws {
        try db.execute(sql: """
            -- Local-only: a live note whose fts row is missing; ref = entities.ref = fts rowid.
            -- Never synced.
            CREATE TABLE search_backlog_refs (ref INTEGER PRIMARY KEY) STRICT;
            INSERT INTO search_backlog_refs (ref) SELECT ref FROM search_backlog;
            DROP TABLE search_backlog;
            ALTER TABLE search_backlog_refs RENAME TO search_backlog;
            """)
    }

    /// The tail index keys the first two bytes of the random part instead of all ten
    /// (`ShownIDs.matchingSQL` checks the rest on the row). Ids are random there, so each batch a
    /// peer sends writes entries all over the index, and every page it touches is written again
    /// at commit: the whole index, most batches of a large sync. Entries of 2 bytes and a ref
    /// instead of 10 make it about half as many pages (506 to about 280 for 100,000 entities),
    /// and a 100,000-note first sync writes about 45 MB less (BENCHMARKS.md). A two-byte key
    /// still leaves about two entities per key at 100,000, 16 at a million.
    private static func v12ShorterTailIndex(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX entities_by_tail;
            CREATE INDEX entities_by_tail ON entities (substr(id, 7, 2));
            """)
    }

    /// The rows that belong to an entity (`fields`, `set_elements`, `note_text`,
    /// `register_siblings`) name it through a foreign key checked at commit
    /// (`DEFERRABLE INITIALLY DEFERRED`) instead of at each statement. Every store write is one
    /// transaction that rolls back whole on any error, so a row without its entity is refused
    /// as before, and nothing of its transaction is kept.
    ///
    /// Why: SQLite must be able to undo one statement alone when a statement that writes several
    /// rows may fail halfway (an immediate foreign key may), so each such statement kept a
    /// journal of the old content of every page it changed. The write path inserts rows 32 to a
    /// statement (`ChunkedInsert`, `INSERT OR FAIL`), and with checks at commit none of its
    /// statements needs that journal: 5 % fewer instructions applying the batches of a first
    /// sync (BENCHMARKS.md, "No statement journals"). The tables are rebuilt, as SQLite
    /// changes a constraint; their rows and indexes are the same.
    private static func v13DeferredEntityReferences(_ db: Database) throws {
        for table in ["fields", "set_elements", "note_text", "register_siblings"] {
            try rebuild(table, db) { definition in
                definition.replacingOccurrences(
                    of: "REFERENCES entities(ref)", with: "REFERENCES entities(ref) DEFERRABLE INITIALLY DEFERRED")
            }
        }
    }

    /// Rebuilds `table` from its own stored definition as `change` rewrites it, with the same
    /// columns in the same order, the same rows and the same indexes: SQLite cannot alter a
    /// constraint in place. Throws when `change` changes nothing (the table is not as expected).
    private static func rebuild(_ table: String, _ db: Database, change: (String) -> String) throws {
        let stored = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
        guard let stored, case let changed = change(stored), changed != stored, let columns = changed.firstIndex(of: "(") else {
            throw StoreError(.corrupt, "the store's table \(table) is not as this version of fieldnote expects")
        }
        let indexes = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name
            """, arguments: [table])
        // The stored definition names the table quoted or not (a renamed table's is quoted).
        try db.execute(sql: "CREATE TABLE new_\(table) " + changed[columns...])
        try db.execute(sql: """
            INSERT INTO new_\(table) SELECT * FROM \(table);
            DROP TABLE \(table);
            ALTER TABLE new_\(table) RENAME TO \(table);
            """)
        for index in indexes { try db.execute(sql: index) }
    }
}
