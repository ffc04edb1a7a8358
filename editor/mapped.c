/* Changes under a mapped buffer, found and told once (see mapped.h). */
#include "editor/mapped.h"

bool mapped_check(Editor *ed, Buffer *b)
{
	Text *t = b->text;
	size_t from, to;
	if (!text_source(t) || !text_source_changed(t))
		return false;
	bool lost = text_lost(t, &from, &to);
	if (b->source_told && (!lost || (b->lost_told[0] == from && b->lost_told[1] == to)))
		return false;
	b->source_told = true;
	if (!lost) {
		msg_error(ed, "%s was written to by another program while open: brisk reads it from the disk, so parts "
		          "of this buffer may show the new bytes; it will not be saved over the file (`reload` reads it "
		          "again)", b->name);
		return true;
	}
	b->lost_told[0] = from;
	b->lost_told[1] = to;
	msg_error(ed, "%s was cut short on disk while open: bytes %zu-%zu could not be read (they show as zero "
	          "bytes); it will not be saved over the file (`reload` reads it again)", b->name, from, to);
	return true;
}
