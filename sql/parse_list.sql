-- spoj_parse_list(html): saved list pages of both layouts become rows; pages that are
-- not a problem list, or are cut short, raise 22000. Pages are built here, not copied.
CREATE EXTENSION spojscore;

-- A current-layout (Bootstrap) page: header cells joined by |, then the row markup.
CREATE FUNCTION pg_temp.current_page(header text, body text, extra_table boolean DEFAULT false)
RETURNS text LANGUAGE sql AS $$
  SELECT '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sphere Online Judge (SPOJ) - Problems</title></head><body>'
      || CASE WHEN extra_table THEN '<table class="problems table"><thead><tr><th>SOLVED</th></tr></thead><tbody><tr><td>x</td></tr></tbody></table>' ELSE '' END
      || '<table class="problems table table-condensed table-hover"><thead><tr>'
      || (SELECT string_agg('<th width="50" class="text-center">' || h || '</th>', '') FROM unnest(string_to_array(header, '|')) AS h)
      || '</tr></thead><tbody>' || body || '</tbody></table>'
      || '<ul class="pagination"><li><a class="pager_link" href="/problems/classical/sort=0,start=50">Next</a></li></ul>'
      || '<div id="footer">&copy; Spoj.com. All Rights Reserved.</div></body></html>'
$$;
CREATE FUNCTION pg_temp.row5(id int, code text, name text, quality text, users text, acc text)
RETURNS text LANGUAGE sql AS $$
  SELECT '<tr><td class="text-center">' || id || '</td>'
      || '<td align="left"><a href="https://www.spoj.com/problems/' || code || '">' || name || '</a></td>'
      || '<td class="text-center">' || quality || '</td>'
      || '<td class="text-center"><a href="/ranks/' || code || '" title="Value 0.01 points. See the best solutions.">' || users || '</a></td>'
      || '<td class="text-center"><a href="/status/' || code || '">' || acc || '</a></td></tr>'
$$;

SELECT * FROM spoj_parse_list(pg_temp.current_page('ID|NAME|QUALITY|USERS|ACC %',
     pg_temp.row5(1, 'TEST', 'Life, the Universe, and Everything', '<span title="+378 -75">303</span>', '221566', '33.15')
  || pg_temp.row5(3, 'TOMJ', '  Tom &amp; Jerry&nbsp;', '', '0', '12.50')
  || pg_temp.row5(7, 'CHATCAY', 'Chặt cây &#272;ộng', '<span title="+2 -5">-3</span>', '41', '1.00')));

-- Logged in: an extra leading status cell and a second table.problems before ours.
SELECT code, users FROM spoj_parse_list(pg_temp.current_page('|ID|NAME|QUALITY|USERS|ACC %',
  replace(pg_temp.row5(5, 'ONP', 'Transform the Expression', '', '54321', '40.00'),
          '<tr>', '<tr><td><i class="fa fa-check"></i></td>'), true));

-- Columns in another order are found by their header text.
SELECT * FROM spoj_parse_list(pg_temp.current_page('NAME|USERS|ID|ACC %',
  '<tr><td align="left"><a href="/problems/PRIME1/">Prime Generator</a></td>'
  || '<td><a href="/ranks/PRIME1/">13077</a></td><td>2</td><td><a href="/status/PRIME1">12.17</a></td></tr>'));

-- Invalid rows are skipped and counted, never thrown.
SELECT code, users FROM spoj_parse_list(pg_temp.current_page('ID|NAME|QUALITY|USERS|ACC %',
     pg_temp.row5(1, 'GOOD', 'Good', '', '10', '1.00')
  || pg_temp.row5(2, 'NEG', 'Negative', '', '-5', '1.00')
  || pg_temp.row5(3, 'SEP', 'Separator', '', '1,234', '1.00')
  || pg_temp.row5(4, 'low', 'Lower case code', '', '7', '1.00')
  || pg_temp.row5(5, 'X''); DROP TABLE x;--', 'Injection', '', '7', '1.00')
  || pg_temp.row5(6, 'BIG', 'Too many users', '', '99999999999', '1.00')
  || pg_temp.row5(7, 'BLANK', '   ', '', '3', '1.00')));

-- spoj_id is integer: an ID beyond 2147483647 makes the row invalid, never wrapped.
SELECT spoj_id, code FROM spoj_parse_list(pg_temp.current_page('ID|NAME|QUALITY|USERS|ACC %',
     pg_temp.row5(2147483647, 'MAXID', 'Largest id', '', '1', '1.00')
  || replace(pg_temp.row5(0, 'HUGEID', 'Huge id', '', '1', '1.00'),
             '<td class="text-center">0</td>', '<td class="text-center">99999999999</td>')
  || replace(pg_temp.row5(0, 'OVERID', 'Just over', '', '1', '1.00'),
             '<td class="text-center">0</td>', '<td class="text-center">2147483648</td>')));

-- The 2014 layout: tr.problemrow, a CODE column, no thead.
SELECT * FROM spoj_parse_list(
  '<html><head><meta http-equiv="content-type" content="text/html; charset=iso-8859-2"></head><body>'
  || '<table class="navigation"><tr><td class="navigationcenter">1</td><td><a class="pager_link" href="/problems/classical/sort=0,start=50">Next</a></td></tr></table>'
  || '<table class="problems" width="100%"><tr class="headerrow"><th>ID</th><th>NAME</th><th>CODE</th><th>USERS</th><th>ACC&nbsp;%</th></tr>'
  || '<tr class="problemrow"><td>2</td><td align="left">&nbsp;<a href="/problems/PRIME1/">&nbsp;<b>Prime Generator</b></a></td>'
  || '<td><a href="/submit/PRIME1">PRIME1</a></td><td><a href="/ranks/PRIME1" title="Value 0.01 points.">13077</a></td>'
  || '<td><a href="/status/PRIME1">12.17</a></td></tr>'
  || '<tr class="problemrow"><td>42</td><td align="left"><a href="/problems/MMIND/"><b>Łódź &amp; Mastermind</b></a></td>'
  || '<td><a href="/submit/MMIND">MMIND</a></td><td><a href="/ranks/MMIND">162</a></td><td><a href="/status/MMIND">4.04</a></td></tr>'
  || '</table><div id="footer">&copy; Spoj.com. All Rights Reserved.</div></body></html>');

-- An empty problems table is zero rows, not an error.
SELECT count(*) FROM spoj_parse_list(pg_temp.current_page('ID|NAME|QUALITY|USERS|ACC %', ''));

-- Not a problem list, a renamed USERS column, a page cut mid-row: 22000 each.
SELECT * FROM spoj_parse_list('<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM spoj_parse_list(pg_temp.current_page('ID|NAME|QUALITY|SOLVED BY|ACC %',
  pg_temp.row5(1, 'TEST', 'Life', '', '5', '1.00')));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM spoj_parse_list(left(pg_temp.current_page('ID|NAME|QUALITY|USERS|ACC %',
  pg_temp.row5(1, 'TEST', 'Life, the Universe, and Everything', '', '5', '1.00')), 420));
\echo :LAST_ERROR_SQLSTATE

-- No network involved: any role may run it.
CREATE ROLE regress_spoj_reader;
SET ROLE regress_spoj_reader;
SELECT count(*) FROM spoj_parse_list(pg_temp.current_page('ID|NAME|QUALITY|USERS|ACC %',
  pg_temp.row5(1, 'TEST', 'Life', '', '5', '1.00')));
RESET ROLE;
DROP ROLE regress_spoj_reader;

-- libxml2's global state is left as found: the server's own XML support still works.
SELECT xmlparse(document '<a><b/></a>');
SELECT xmlparse(document '<a>');
DROP EXTENSION spojscore;

-- A database that is not UTF8: the page is converted to UTF-8 for the parser and the names
-- back (an empty text and SQL_ASCII included, where there is nothing to convert).
\set regress_db :DBNAME
CREATE DATABASE regress_spoj_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
CREATE DATABASE regress_spoj_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c regress_spoj_ascii
SET client_encoding TO 'UTF8';
CREATE EXTENSION spojscore;
SELECT * FROM spoj_parse_list('');
\echo :LAST_ERROR_SQLSTATE
SELECT code, name, users FROM spoj_parse_list('<table class="problems"><tr><th>NAME</th><th>USERS</th></tr>'
  || '<tr><td><a href="/problems/ABC/">Caf&eacute;</a></td><td><a href="/ranks/ABC/">7</a></td></tr></table>'
  || '<div id="footer"></div>');
\c regress_spoj_latin1
SET client_encoding TO 'UTF8';
CREATE EXTENSION spojscore;
SELECT * FROM spoj_parse_list('');
\echo :LAST_ERROR_SQLSTATE
SELECT code, name, users FROM spoj_parse_list('<table class="problems"><tr><th>NAME</th><th>USERS</th></tr>'
  || '<tr><td><a href="/problems/ABC/">Café</a></td><td><a href="/ranks/ABC/">7</a></td></tr></table>'
  || '<div id="footer"></div>');
\c :regress_db
DROP DATABASE regress_spoj_ascii;
DROP DATABASE regress_spoj_latin1;
