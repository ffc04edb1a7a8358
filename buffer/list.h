/* Intrusive doubly linked lists: nodes with `next` and `prev` pointers
 * and a head pointer. The one place that links and unlinks, so every list
 * in brisk is kept the same way (a node's prev is NULL at the head). */
#ifndef BUFFER_LIST_H
#define BUFFER_LIST_H
#include <stddef.h>

/* Links node n in front of the list at head. */
#define LIST_PUSH(head, n) do { \
	(n)->prev = NULL; \
	(n)->next = (head); \
	if (head) \
		(head)->prev = (n); \
	(head) = (n); \
} while (0)

/* Links node n at the end of the list at head (a walk: short lists). */
#define LIST_APPEND(head, n, type) do { \
	type *last_ = (head); \
	while (last_ && last_->next) \
		last_ = last_->next; \
	(n)->next = NULL; \
	(n)->prev = last_; \
	if (last_) \
		last_->next = (n); \
	else \
		(head) = (n); \
} while (0)

/* Takes node n out of the list at head (nothing when it is in none). */
#define LIST_UNLINK(head, n) do { \
	if ((n)->prev) \
		(n)->prev->next = (n)->next; \
	else if ((head) == (n)) \
		(head) = (n)->next; \
	if ((n)->next) \
		(n)->next->prev = (n)->prev; \
	(n)->next = (n)->prev = NULL; \
} while (0)
#endif
