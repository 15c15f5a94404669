# pipeline-summarize.sh: sourced, defines summarize FACTS...: summary.tsv
# from facts tables (pipeline-batch's facts.tsv, each with its header row):
# per region, year, code and unit one chosen figure, never a sum (see
# scripts/pipeline-tables for the why). Shared by pipeline-tables and the
# Hadoop reducer (scripts/hadoop/reducer), so both choose the same figure.
summarize() {
	printf 'region\tyear\tcode\tlabel\tunit\tdocuments\tmentions\tvalue\tkind\tqualifier\tvalue_from\tdoc\n'
	# facts: doc region year code label unit value annual_value kind qualifier
	tail -n +2 "$@" | sort -t $'\t' -S 200M -k2,2 -k3,3 -k4,4 -k6,6 -k8,8gr -k7,7gr |
		awk -F'\t' -v OFS='\t' '
			{ k = $2 SUBSEP $3 SUBSEP $4 SUBSEP $6 }
			k != pk {
				if (NR > 1) print row, nd, n, best
				pk = k; n = 0; nd = 0; delete seen
				row = $2 OFS $3 OFS $4 OFS $5 OFS $6
				best = $7 OFS $9 OFS $10 OFS ($8 != "-" ? "annual-report" : "any-document") OFS $1
			}
			{ n++; if (!($1 in seen)) { seen[$1]; nd++ } }
			END { if (NR) print row, nd, n, best }'
}
