DROP TABLE mobile_lines;
