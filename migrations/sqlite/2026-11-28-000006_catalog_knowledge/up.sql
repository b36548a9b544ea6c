-- The product support catalog (SPEC §5, seed 004 §④): makers → product series → entries
-- (downloads, documents, standard shipping versions, end of support). A customer sees a
-- series when equipment on a contract it sees has a model starting with one of the series'
-- model prefixes.
CREATE TABLE product_makers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CONSTRAINT product_makers_name_key UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE product_series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    maker_id INTEGER NOT NULL REFERENCES product_makers (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT product_series_name_key UNIQUE (maker_id, name)
);

CREATE TABLE product_series_models (
    series_id INTEGER NOT NULL REFERENCES product_series (id) ON DELETE CASCADE,
    model_prefix TEXT NOT NULL,
    PRIMARY KEY (series_id, model_prefix)
);

CREATE TABLE product_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    series_id INTEGER NOT NULL REFERENCES product_series (id) ON DELETE CASCADE,
    -- download | document | shipping_version | end_of_support
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    published_on DATE,
    -- End of engineering / end of life (end_of_support entries).
    eoe_on DATE,
    eol_on DATE,
    -- A download or document is a stored file or a link.
    link_url TEXT,
    file_name TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    storage_key TEXT CONSTRAINT product_entries_storage_key_key UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX product_entries_series_id_idx ON product_entries (series_id, kind);

-- The knowledge base (seed 001 "ナレッジ", the Solution DataBase). An article bound to a
-- series is seen by whoever sees the series; a public one by every customer.
CREATE TABLE knowledge_articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- qa | trouble_case | bug | patch | product_info | security_advisory
    category TEXT NOT NULL,
    series_id INTEGER REFERENCES product_series (id) ON DELETE SET NULL,
    public BOOLEAN NOT NULL DEFAULT FALSE,
    title TEXT NOT NULL,
    -- Markdown, rendered without raw HTML by the SPA.
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX knowledge_articles_series_id_idx ON knowledge_articles (series_id);

CREATE TABLE knowledge_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL CONSTRAINT knowledge_attachments_storage_key_key UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX knowledge_attachments_article_id_idx ON knowledge_attachments (article_id);

-- Full-text search that finds Japanese substrings (no word boundaries to tokenize on):
-- FTS5's trigram tokenizer indexes every three characters, so any substring of three or
-- more characters is found through the index. Kept in step with the articles by triggers.
CREATE VIRTUAL TABLE knowledge_search USING fts5(
    title, body, content = 'knowledge_articles', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER knowledge_articles_search_insert AFTER INSERT ON knowledge_articles BEGIN
    INSERT INTO knowledge_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER knowledge_articles_search_delete AFTER DELETE ON knowledge_articles BEGIN
    INSERT INTO knowledge_search (knowledge_search, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER knowledge_articles_search_update AFTER UPDATE OF title, body ON knowledge_articles BEGIN
    INSERT INTO knowledge_search (knowledge_search, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO knowledge_search (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
