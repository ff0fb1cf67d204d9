/* placeholder */
#include "runtime/traceint.h"
void trace_write_html(FILE *f, const TraceData *d)
{
    fputs("<!doctype html><script id=trace type=application/json>", f);
    trace_write_json(f, d);
    fputs("</script>", f);
}
