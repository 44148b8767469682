-- Uploaded invoice PDFs move to a table of their own. Every
-- /card/invoice/insert marks its upload bound (pdf_media.bound_code); with
-- the file in the same row SQLite rewrote the whole file on each insert, and
-- the rows, one file each, were spread so thinly over pages that a large
-- store no longer fitted the card writer's cache.
CREATE TABLE pdf_media_content (
    s_media_id TEXT PRIMARY KEY REFERENCES pdf_media (s_media_id),
    content    BYTEA NOT NULL
);
INSERT INTO pdf_media_content (s_media_id, content) SELECT s_media_id, content FROM pdf_media;
ALTER TABLE pdf_media DROP COLUMN content;
