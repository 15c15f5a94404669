#!/usr/bin/env bash
# make-inputs.sh: how the inputs of tests/golden/encfix.cases were made (they
# are committed; run this only to remake them). Needs iconv, python3, gzip.
set -euo pipefail
cd "$(dirname "$0")"
s=../../../samples/000_38744af11d1313e7.txt
head -n 3 "$s" >utf8.txt
iconv -f UTF-8 -t GBK utf8.txt >gbk.txt
iconv -f UTF-8 -t GB18030 <<<'版权所有 © 2021 秦皇岛市人民政府 » 首页 • 法治' >gb18030-4byte.txt
iconv -f UTF-8 -t BIG5 <<<'重慶市人民政府關於2020年法治政府建設情況的報告
一、推進依法行政，嚴格規範執法' >big5.txt
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE utf8.txt; } >utf16le-bom.txt
iconv -f UTF-8 -t UTF-16BE utf8.txt >utf16be-nobom.txt
iconv -f UTF-8 -t UTF-32 utf8.txt >utf32-bom.txt
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' utf8.txt; } >utf8-bom-crlf.txt
printf '发布时间：２０２１－０７－２０（星期二）　来源：司法局\n受理案件１７１件，同比增长１２．５％；办结率１００％！\n、。“”《》【】保持不变\n' >fullwidth.txt
printf '\xe3\x80\x80\xe3\x80\x80一、总体情况  \t\n    （一）健全\xe2\x80\x8b制度\xc2\xad体系\n执法\xc2\xa0程序\x00、\x07执法\x1b结果\x7f\n\xe2\x80\x8c\n\n\n\n结束\x0c语\n\n\n' >controls.txt
printf '标题\n\n一、总体情况\n\n正文第一段。\n\n正文第二段。\n' >padding.txt
printf '标题\n一、总体情况\n\n正文第一段。\n正文第二段。\n' >not-padding.txt
python3 -c 'import sys; sys.stdout.write("发布时间:2021-07-20 发布机构:司法局\n法治政府建设情况报告\n".encode("utf-8").decode("gb18030", "replace"))' >mojibake-gbk.txt
python3 -c 'import sys; sys.stdout.write("发布时间:2021-07-20\n法治政府建设情况报告\n".encode("utf-8").decode("latin-1"))' >mojibake-latin1.txt
printf '鄂尔多斯市达拉特旗 犇羴鱻 龘靐齉 彧翀\n' >clean-rare.txt
{ printf '第一段是UTF-8文本。\n'; printf '第二段混入了GBK：' | iconv -f UTF-8 -t GBK; printf '\n第三段又是UTF-8。\n'; } >mixed.txt
# UTF-8 lines, then GBK lines (issue 17: their GBK pairs that are valid
# UTF-8, like 目 C4 BF, came out as Ŀ without a U+FFFD)
s1=../../../samples/001_737b89c6e62b3a8d.txt
{ sed -n 1,3p "$s1"; sed -n 11,13p "$s1" | iconv -f UTF-8 -t GBK; } >mixed-lines.txt
printf 'abc\xff\xfe def \xe6\xb3 ghi\n\xc3\x28 ok\n' >invalid.txt
{ printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR'; head -c 200 /dev/zero | tr '\0' '\1'; } >image.png
{ printf '%%PDF-1.4\n'; printf 'binary'; } >doc.pdf
: >empty.txt
{ printf '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>\n'; printf '<body>法治</body></html>\n' | iconv -f UTF-8 -t GBK; } >meta.html
iconv -f UTF-8 -t GB18030 utf8.txt | gzip -n >page.txt.gz
printf '依法行政' | iconv -f UTF-8 -t GBK >short-gbk.txt
printf '依法行政' | iconv -f UTF-8 -t BIG5 >short-big5.txt
printf '依法行政' >short-utf8.txt
mkdir -p dup1 dup2
cp gbk.txt dup1/x.raw
gzip -n <utf8.txt >dup2/x.txt.gz
