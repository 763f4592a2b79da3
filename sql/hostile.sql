-- Hostile pages are refused before libxml2 parses them (issue 12 item 2): a start tag
-- with more than 256 attributes (libxml2 compares each with every earlier one) is 22000,
-- a profile whose tree could take more than max(64 MB, 8 x the page) is 54000. Both at
-- once, whatever the size; everything else is parsed, in time linear in the page.
CREATE EXTENSION spojscore;

CREATE FUNCTION pg_temp.attrs(n int) RETURNS text LANGUAGE sql
  RETURN (SELECT string_agg(' a' || i, '') FROM generate_series(1, n) i);
CREATE FUNCTION pg_temp.list_page(row_tag text) RETURNS text LANGUAGE sql
  RETURN '<html><body><table class="problems"><thead><tr><th>ID</th><th>NAME</th><th>USERS</th></tr></thead><tbody>'
      || (SELECT string_agg(row_tag || '<td>' || i || '</td><td><a href="/problems/P' || i || '/">Problem '
                            || i || '</a></td><td><a href="/ranks/P' || i || '/">' || i || '</a></td></tr>', '')
          FROM generate_series(1, 50) i)
      || '</tbody></table><div id="footer">All Rights Reserved</div></body></html>';

-- 256 attributes on every row are still a page; 257 on one row are not, nor 20,000.
SELECT count(*), sum(users) FROM spoj_parse_list(pg_temp.list_page('<tr' || pg_temp.attrs(256) || '>'));
SELECT count(*) FROM spoj_parse_list(replace(pg_temp.list_page('<tr>'), '<td>7<', '<td' || pg_temp.attrs(257) || '>7<'));
SELECT count(*) FROM spoj_parse_list(pg_temp.list_page('<tr' || pg_temp.attrs(20000) || '>'));
-- Wherever a tag could start: inside a comment too (the check does not trust context).
SELECT count(*) FROM spoj_parse_list(replace(pg_temp.list_page('<tr>'), '<tbody>', '<tbody><!-- <x' || pg_temp.attrs(300) || '> -->'));
-- Repeated names count: libxml2 compares them all the same.
SELECT count(*) FROM spoj_parse_list(pg_temp.list_page('<tr' || repeat(' a', 300) || '>'));

-- Big but harmless: deep nesting (libxml2 stops at 256 levels, so the table's end is never
-- seen), a 4 MB comment, text and entities.
SELECT count(*) FROM spoj_parse_list(replace(pg_temp.list_page('<tr>'), '<tbody>', '<tbody>' || repeat('<div>', 100000)));
SELECT count(*) FROM spoj_parse_list(replace(pg_temp.list_page('<tr>'), '<body>', '<body><!--' || repeat('x', 4000000) || '-->'));
SELECT count(*) FROM spoj_parse_list(replace(pg_temp.list_page('<tr>'), '<body>', '<body><p>' || repeat('&amp; x', 500000) || '</p>'));

-- Profiles: too many attributes (22000), too many tags for the tree budget (54000).
SELECT * FROM spoj_parse_profile('<html><body><div id="user-profile-left"' || pg_temp.attrs(300) || '></div></body></html>');
SELECT * FROM spoj_parse_profile(repeat('<td>', 300000));
SELECT * FROM spoj_parse_profile('<html><body>' || repeat('<b a=1 b=2 c=3>', 60000) || '</body></html>');
-- Under the budget: parsed (and not a profile).
SELECT * FROM spoj_parse_profile('<html><body>' || repeat('<td>', 100000) || '</body></html>');
