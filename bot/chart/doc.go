// Package chart shows a series answer (knowledge.Series): as a PNG chart
// (Render, with a Cache keyed by the series, their years, the language and
// the knowledge version) and as plain text (Text, Caption) in the five
// languages: the points per counting body, the change between the first and
// last point computed within one series and labelled as computed, every
// source of every point, and why two bodies' figures differ.
//
// The chart's text is drawn in Liberation Sans, the font gonum/plot ships,
// which covers Latin and Cyrillic with the Kazakh letters (ә ғ қ ң ө ұ ү һ
// і); it has no Chinese, so a Chinese chart draws digits and Latin names and
// the caption carries the Chinese words. No text is drawn that the font
// cannot show.
//
// It imports gonum.org/v1/plot and the domain, never tgbotapi, bbolt or
// Prometheus: the bot, ask and chat all use it.
package chart
