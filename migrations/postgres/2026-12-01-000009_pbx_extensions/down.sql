DROP TABLE extensions;
DROP TABLE pbx_sites;
