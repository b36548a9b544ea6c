DROP TABLE upload_parts;
DROP TABLE uploads;
DROP TABLE ticket_attachments;
DROP TABLE ticket_events;
DROP TABLE tickets;
