package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// Chart geometry, in SVG user units (pixels).
const (
	chartLabelWidth = 330 // left column: area · case · peer
	chartPlotWidth  = 520
	chartValueWidth = 150 // right of the plot: the ratio in words
	chartRowHeight  = 18
	chartTop        = 70 // title and axis labels above the first row
	chartBottom     = 40
)

// writeSVG draws one horizontal bar per ratio on a log scale centred on 1:
// bars going left (green) are cases where fnshield is faster, bars going
// right (red) where it is slower. Each area starts with a heading row.
func writeSVG(w io.Writer, info runInfo, rs []Ratio) {
	lo, hi := 0.0, 0.0 // log10 bounds, whole decades, always including 1
	for _, r := range rs {
		l := math.Log10(r.Value)
		lo, hi = math.Min(lo, math.Floor(l)), math.Max(hi, math.Ceil(l))
	}
	if lo == hi {
		lo, hi = -1, 1
	}
	x := func(v float64) float64 {
		return chartLabelWidth + (math.Log10(v)-lo)/(hi-lo)*chartPlotWidth
	}

	type row struct {
		heading string
		ratio   Ratio
	}
	var rows []row
	for i, r := range rs {
		if i == 0 || rs[i-1].Area != r.Area {
			rows = append(rows, row{heading: areaByName(r.Area).Title})
		}
		rows = append(rows, row{ratio: r})
	}
	width := chartLabelWidth + chartPlotWidth + chartValueWidth
	height := chartTop + len(rows)*chartRowHeight + chartBottom
	plotBottom := chartTop + len(rows)*chartRowHeight

	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	p(`<text x="10" y="20" font-size="14" font-weight="bold">fnshield ÷ peer, median ns/op (log scale; left of 1: fnshield faster)</text>` + "\n")
	p(`<text x="10" y="38" fill="#555555">%s</text>`+"\n", esc(fmt.Sprintf("%s, %d cores, %s, %s. Shared machine: figures are indicative.",
		info.CPU, info.Cores, info.Go, info.Start.Format("2006-01-02"))))

	// Decade grid and axis labels.
	for d := lo; d <= hi; d++ {
		v := math.Pow(10, d)
		colour, widthAttr := "#dddddd", "1"
		if d == 0 {
			colour, widthAttr = "#333333", "1.5"
		}
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="%s"/>`+"\n", x(v), chartTop-6, x(v), plotBottom, colour, widthAttr)
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#333333">%s</text>`+"\n", x(v), chartTop-10, esc(axisLabel(d)))
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#333333">%s</text>`+"\n", x(v), plotBottom+14, esc(axisLabel(d)))
	}

	for i, rw := range rows {
		y := chartTop + i*chartRowHeight
		if rw.heading != "" {
			p(`<text x="10" y="%d" font-weight="bold">%s</text>`+"\n", y+13, esc(rw.heading))
			continue
		}
		r := rw.ratio
		x0, x1 := x(1), x(r.Value)
		colour := "#2e7d32"
		if r.Value > 1 {
			colour = "#c62828"
		}
		left, barWidth := math.Min(x0, x1), math.Max(math.Abs(x1-x0), 1)
		p(`<text x="20" y="%d">%s</text>`+"\n", y+13, esc(r.Case+" · vs "+r.Peer))
		p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			left, y+3, barWidth, chartRowHeight-6, colour, esc(fmt.Sprintf("%s %s vs %s: %s", r.Area, r.Case, r.Peer, formatRatio(r.Value))))
		p(`<text x="%d" y="%d" fill="#333333">%s</text>`+"\n", chartLabelWidth+chartPlotWidth+8, y+13,
			esc(formatRatio(r.Value)+"  "+describeRatio(r.Value)))
	}
	p(`<text x="%d" y="%d" fill="#555555">fnshield faster ←</text>`+"\n", chartLabelWidth, height-8)
	p(`<text x="%d" y="%d" text-anchor="end" fill="#555555">→ fnshield slower</text>`+"\n", chartLabelWidth+chartPlotWidth, height-8)
	p("</svg>\n")
}

// axisLabel prints 10^d as a plain number: 0.01, 0.1, 1, 10.
func axisLabel(d float64) string {
	if d >= 0 {
		return fmt.Sprintf("%.0f", math.Pow(10, d))
	}
	return strings.TrimRight(fmt.Sprintf("%.*f", int(-d), math.Pow(10, d)), "0")
}

// esc escapes text for an SVG text node or attribute.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
