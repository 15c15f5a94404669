/* html-parsers.c: the measurement behind deboiler's choice of HTML parser
 * (README, HTML pages): libxml2's HTML parser beside gumbo, the text of
 * every node of each page, timed; with DUMP set, the text goes to
 * NAME.0.txt (libxml2) or NAME.1.txt (gumbo) for counting gold strings.
 * Not part of the build (gumbo is no dependency):
 *   cc -O2 -o hp scripts/html-parsers.c $(pkg-config --cflags --libs gumbo libxml-2.0)
 *   ./hp 0 5 ../shared/html/g*.html; ./hp 1 5 ../shared/html/g*.html   # 0 libxml2, 1 gumbo; 5 rounds */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/HTMLparser.h>
#include <gumbo.h>
static char *out; static size_t on, ocap;
static void add(const char *s, size_t n){ if(on+n+1>ocap){ocap=(on+n+1)*2;out=realloc(out,ocap);} memcpy(out+on,s,n); on+=n; out[on]=0;}
static int skip(const char *t){ return !strcasecmp(t,"script")||!strcasecmp(t,"style")||!strcasecmp(t,"noscript")||!strcasecmp(t,"template");}
static void xw(xmlNode *n){ for(;n;n=n->next){ if(n->type==XML_TEXT_NODE){ add((char*)n->content,strlen((char*)n->content)); add(" ",1);} else if(n->type==XML_ELEMENT_NODE && !skip((char*)n->name)) xw(n->children);} }
static void gw(GumboNode *n){ if(n->type==GUMBO_NODE_TEXT||n->type==GUMBO_NODE_WHITESPACE){ add(n->v.text.text,strlen(n->v.text.text)); add(" ",1); return;} if(n->type!=GUMBO_NODE_ELEMENT) return; GumboTag t=n->v.element.tag; if(t==GUMBO_TAG_SCRIPT||t==GUMBO_TAG_STYLE||t==GUMBO_TAG_NOSCRIPT||t==GUMBO_TAG_TEMPLATE) return; for(unsigned i=0;i<n->v.element.children.length;i++) gw(n->v.element.children.data[i]); }
int main(int argc,char**argv){ int which=atoi(argv[1]); int reps=atoi(argv[2]); double tot=0; size_t bytes=0;
 for(int a=3;a<argc;a++){ FILE*f=fopen(argv[a],"rb"); fseek(f,0,2); long n=ftell(f); rewind(f); char*b=malloc(n+1); fread(b,1,n,f); b[n]=0; fclose(f);
  struct timespec t0,t1; clock_gettime(CLOCK_MONOTONIC,&t0);
  for(int r=0;r<reps;r++){ on=0; if(which==0){ htmlDocPtr d=htmlReadMemory(b,n,NULL,"UTF-8",HTML_PARSE_RECOVER|HTML_PARSE_NOERROR|HTML_PARSE_NOWARNING|HTML_PARSE_NONET|HTML_PARSE_COMPACT|XML_PARSE_HUGE); xw(xmlDocGetRootElement(d)); xmlFreeDoc(d);} else { GumboOutput*o=gumbo_parse_with_options(&kGumboDefaultOptions,b,n); gw(o->root); gumbo_destroy_output(&kGumboDefaultOptions,o);} }
  clock_gettime(CLOCK_MONOTONIC,&t1); tot+=(t1.tv_sec-t0.tv_sec)+(t1.tv_nsec-t0.tv_nsec)/1e9; bytes+=n*(size_t)reps;
  if(getenv("DUMP")){ char p[512]; snprintf(p,sizeof p,"%s.%d.txt",strrchr(argv[a],'/')+1,which); FILE*o=fopen(p,"w"); fwrite(out,1,on,o); fclose(o);} free(b);}
 fprintf(stderr,"%s: %.1f MB/s (%.3f s for %zu bytes)\n",which?"gumbo":"libxml2",bytes/tot/1e6,tot,bytes); }
