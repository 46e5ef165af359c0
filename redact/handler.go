package redact

import (
	"context"
	"log/slog"
)

// Handler is a slog.Handler that redacts records before passing them to
// another Handler: the message, every attribute at any depth of groups,
// attributes added with WithAttrs (redacted once, when added), resolved
// LogValuers, errors, []byte, maps, structs and fmt.Stringers. A record with
// nothing to redact is passed on unchanged, so its output is byte-identical
// to the wrapped Handler's. Handlers are immutable and safe for concurrent
// use; the zero Handler is not usable, build one with NewHandler.
type Handler struct {
	next slog.Handler
	r    *Redactor
	// groupKind is the kind of the first open group (WithGroup) whose name
	// is a sensitive key; every value below it is replaced.
	groupKind string
}

// NewHandler returns a Handler that redacts records with New(opts...) and
// passes them to next.
func NewHandler(next slog.Handler, opts ...Option) slog.Handler {
	return &Handler{next: next, r: New(opts...)}
}

// Enabled reports whether the wrapped Handler handles records at level l.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle redacts rec and passes it on. rec itself is never modified: a
// changed record is a new one.
func (h *Handler) Handle(ctx context.Context, rec slog.Record) error {
	msg, dirty := h.r.redactString(rec.Message)
	// Remember only the attributes that changed, by position: a clean
	// record costs no copying.
	type change struct {
		i int
		a slog.Attr
	}
	var buf [4]change
	changes := buf[:0]
	i := 0
	rec.Attrs(func(a slog.Attr) bool {
		if na, changed := h.r.attr(a, 0, h.groupKind); changed {
			changes = append(changes, change{i, na})
		}
		i++
		return true
	})
	if !dirty && len(changes) == 0 {
		return h.next.Handle(ctx, rec)
	}
	nr := slog.NewRecord(rec.Time, rec.Level, msg, rec.PC)
	i = 0
	rec.Attrs(func(a slog.Attr) bool {
		if len(changes) > 0 && changes[0].i == i {
			a = changes[0].a
			changes = changes[1:]
		}
		nr.AddAttrs(a)
		i++
		return true
	})
	return h.next.Handle(ctx, nr)
}

// WithAttrs returns a Handler whose wrapped Handler has the attributes as,
// redacted now rather than on every record.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i], _ = h.r.attr(a, 0, h.groupKind)
	}
	return &Handler{next: h.next.WithAttrs(out), r: h.r, groupKind: h.groupKind}
}

// WithGroup returns a Handler whose wrapped Handler opens the group name. If
// name is itself a sensitive key (a "credentials" group), every value later
// logged in the group is replaced.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	gk := h.groupKind
	if gk == "" {
		gk, _ = h.r.matchKey(name)
	}
	return &Handler{next: h.next.WithGroup(name), r: h.r, groupKind: gk}
}

// ReplaceAttr redacts one attribute with a Redactor built by New with no
// options. It has the signature of slog.HandlerOptions.ReplaceAttr:
//
//	slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: redact.ReplaceAttr})
//
// Built-in handlers call it for the message too. Unlike Handler it runs on
// every record, including for attributes added with WithAttrs.
func ReplaceAttr(groups []string, a slog.Attr) slog.Attr {
	return defaultRedactor().ReplaceAttr(groups, a)
}

// ReplaceAttr redacts one attribute with r; see the package-level
// ReplaceAttr. An attribute inside a group whose name is a sensitive key is
// replaced whole.
func (r *Redactor) ReplaceAttr(groups []string, a slog.Attr) slog.Attr {
	sensitive := ""
	for _, g := range groups {
		if k, ok := r.matchKey(g); ok {
			sensitive = k
			break
		}
	}
	na, _ := r.attr(a, 0, sensitive)
	return na
}

// redactString is String that also reports whether anything was replaced.
func (r *Redactor) redactString(s string) (string, bool) {
	out := r.String(s)
	return out, len(out) != len(s) || (len(s) > 0 && out != s)
}

// attr redacts one attribute. sensitive, when not empty, is the kind of an
// enclosing sensitive key: every value below it is replaced.
func (r *Redactor) attr(a slog.Attr, depth int, sensitive string) (slog.Attr, bool) {
	v := a.Value
	k := v.Kind()
	if k == slog.KindLogValuer {
		// Hand on the resolved value: LogValue runs once.
		na, _ := r.attr(slog.Attr{Key: a.Key, Value: v.Resolve()}, depth, sensitive)
		return na, true
	}
	if sensitive == "" {
		sensitive, _ = r.matchKey(a.Key)
	}
	if sensitive != "" {
		switch k {
		case slog.KindBool:
			return a, false
		case slog.KindGroup:
			// Keep the structure, replace the leaves.
		default:
			if k == slog.KindString && v.String() == "" {
				return a, false
			}
			return slog.String(a.Key, r.replacement(sensitive, v.String())), true
		}
	}
	switch k {
	case slog.KindString:
		if s, ok := r.redactString(v.String()); ok {
			return slog.String(a.Key, s), true
		}
	case slog.KindGroup:
		as := v.Group()
		if depth >= r.maxDepth {
			if len(as) == 0 {
				break
			}
			return slog.String(a.Key, r.replacement("truncated", "")), true
		}
		var out []slog.Attr
		for i, ga := range as {
			na, changed := r.attr(ga, depth+1, sensitive)
			if changed && out == nil {
				out = make([]slog.Attr, len(as))
				copy(out, as[:i])
			}
			if out != nil {
				out[i] = na
			}
		}
		if out != nil {
			return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}, true
		}
	case slog.KindAny:
		if nv, ok := r.anyValue(v.Any(), depth); ok {
			return slog.Any(a.Key, nv), true
		}
	}
	return a, false
}
