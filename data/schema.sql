-- schema.sql: the main job's tables (OUT/*.tsv) as SQL tables, for SQLite
-- (scripts/pipeline-db, `make db`: OUT/lawtext.sqlite) and PostgreSQL (15 or
-- later), the same file for both.
--
-- Columns are in the tables' order, so that PostgreSQL loads a table as it is:
--   \copy docs FROM 'OUT/docs.tsv' (format text, header, null '-')
-- (the TSV files escape tab, newline, CR and backslash the way COPY's text
-- format does, and write '-' for a missing value). Types: counts, offsets
-- and years INTEGER; dates DATE; a figure's value is exact decimal TEXT
-- (a REAL would turn 0.10 into 0.1 and 3000000000000.5 into an
-- approximation) with value_num, a generated DOUBLE PRECISION column
-- beside it for arithmetic and charts (COPY skips generated columns).
-- Indicator codes with their label and unit are the table indicator_codes
-- (data/indicators.tsv). Views at the end answer the usual questions.

CREATE TABLE docs (
	doc TEXT PRIMARY KEY,	-- document id (file name stem under OUT/body/)
	source TEXT,		-- raw file, relative to IN
	encoding TEXT,		-- as encfix detected it
	title TEXT,
	region TEXT,
	region_code TEXT,	-- administrative division code (6 digits)
	province TEXT,
	year INTEGER,		-- the year the document reports on
	type TEXT,		-- annual-report, press-conference, proposal-reply, ...
	date DATE,		-- publication date
	chars INTEGER,		-- characters of the body
	sections INTEGER,
	figures INTEGER
);

CREATE TABLE sections (
	doc TEXT NOT NULL,
	region TEXT,
	year INTEGER,
	seq INTEGER NOT NULL,	-- 0: the preamble
	level INTEGER,
	path TEXT,		-- e.g. 2.1.3
	marker TEXT,		-- 一、 (一) 1. ...
	heading TEXT,
	part TEXT,		-- canonical part (data/parts.tsv)
	start INTEGER,		-- character offsets in the body
	"end" INTEGER,
	text TEXT
);

CREATE TABLE indicators (
	doc TEXT NOT NULL,
	region TEXT,
	year INTEGER,
	part TEXT,
	path TEXT,
	code TEXT,		-- indicator code (indicator_codes), or other
	label TEXT,
	value TEXT,		-- exact decimal
	unit TEXT,
	qualifier TEXT,		-- = exact, > more than, < less than, ~ about
	kind TEXT,		-- value, from, to, change
	number TEXT,		-- the number as written
	text TEXT,		-- the sentence
	start INTEGER,
	noun TEXT,
	value_num DOUBLE PRECISION GENERATED ALWAYS AS (CAST(value AS DOUBLE PRECISION)) STORED
);

CREATE TABLE summary (
	region TEXT,
	year INTEGER,
	code TEXT,
	label TEXT,
	unit TEXT,
	documents INTEGER,
	mentions INTEGER,
	value TEXT,		-- ONE figure, never a sum (see value_from)
	kind TEXT,
	qualifier TEXT,
	value_from TEXT,	-- annual-report: largest in an annual report of the
				-- region and year; any-document: largest anywhere
	doc TEXT,		-- the document the value comes from
	value_num DOUBLE PRECISION GENERATED ALWAYS AS (CAST(value AS DOUBLE PRECISION)) STORED
);

CREATE TABLE coverage (
	doc TEXT PRIMARY KEY,
	region TEXT,
	year INTEGER,
	type TEXT,
	measures TEXT,		-- yes/no: 主要举措和成效
	problems TEXT,		-- 存在的不足
	leadership TEXT,	-- 党政主要负责人履行第一责任人职责
	plans TEXT,		-- 下一年度主要安排
	other TEXT,		-- 其他
	missing TEXT,		-- comma-separated, NULL when none
	problems_found TEXT
);

CREATE TABLE problems (
	doc TEXT,
	source TEXT,
	stage TEXT,
	severity TEXT,		-- error or warning
	message TEXT
);

CREATE TABLE indicator_codes (
	code TEXT PRIMARY KEY,
	label_zh TEXT,
	unit TEXT,		-- the unit usually reported
	cues TEXT
);

CREATE INDEX docs_region_year ON docs (region, year);
CREATE INDEX sections_doc ON sections (doc);
CREATE INDEX indicators_doc ON indicators (doc);
CREATE INDEX indicators_region_year ON indicators (region, year);
CREATE INDEX indicators_code ON indicators (code);
CREATE INDEX summary_region_year ON summary (region, year);
CREATE INDEX summary_code ON summary (code);
CREATE INDEX coverage_region_year ON coverage (region, year);
CREATE INDEX problems_doc ON problems (doc);

-- Per region and year: each indicator's chosen figure, with its unit and
-- the taxonomy's label (one row per unit: units are never mixed).
CREATE VIEW region_year_figures AS
	SELECT s.region, s.year, s.code, c.label_zh AS label, s.unit, s.value,
	       s.value_num, s.kind, s.qualifier, s.value_from, s.documents,
	       s.mentions, s.doc
	FROM summary s LEFT JOIN indicator_codes c ON c.code = s.code;

-- Annual reports lacking a required part, with the parts they lack.
CREATE VIEW reports_missing_parts AS
	SELECT v.doc, v.region, v.year, d.title, v.missing,
	       v.problems = 'no' AS lacks_problems,
	       v.plans = 'no' AS lacks_plans,
	       v.leadership = 'no' AS lacks_leadership
	FROM coverage v LEFT JOIN docs d ON d.doc = v.doc
	WHERE v.missing IS NOT NULL;

-- Documents per region, year and type.
CREATE VIEW documents_by_region_year AS
	SELECT region, year, type, count(*) AS documents
	FROM docs GROUP BY region, year, type;

-- Every figure with the taxonomy's label and usual unit.
CREATE VIEW figures AS
	SELECT i.doc, i.region, i.year, i.code, c.label_zh AS label, i.value,
	       i.value_num, i.unit, c.unit AS usual_unit, i.qualifier, i.kind,
	       i.text, d.type
	FROM indicators i
	LEFT JOIN indicator_codes c ON c.code = i.code
	LEFT JOIN docs d ON d.doc = i.doc;
