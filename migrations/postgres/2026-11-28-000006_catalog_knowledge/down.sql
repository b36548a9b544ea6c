DROP TABLE knowledge_attachments;
DROP TABLE knowledge_articles;
DROP TABLE product_entries;
DROP TABLE product_series_models;
DROP TABLE product_series;
DROP TABLE product_makers;
