//! The one chart definition of every report: SVG drawn from the report's table. The SPA
//! shows it as served (`…/reports/{report}/chart.svg`), and the downloads (PNG, PDF,
//! PowerPoint) render the same document. Every mark carries a `<title>` — the tooltip — and
//! the table under the chart holds the figures for those who would rather read.
//!
//! Kinds: a line per column over the rows (traffic by day, per minute, the comparison);
//! bars (one column) or stacked bars (several) per row; a heat map of rows × columns
//! (weekday × hour, origin × destination); and a tile-grid cartogram of the 47
//! prefectures, each tile shaded by its first column.

use std::fmt::Write as _;

use madoguchi_types::analytics::{ChartKind, Region, Report};

pub const WIDTH: f64 = 960.0;
pub const HEIGHT: f64 = 420.0;
pub const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;
/// Colours of the series, in order (distinguishable for the common colour-vision types).
const PALETTE: [&str; 6] = ["#1f5fa8", "#e07b00", "#2a9d5b", "#c0392b", "#7d4fb0", "#6b6b6b"];

/// Text as SVG content or attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A figure as a tooltip shows it: whole numbers without a fraction.
fn figure(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// A round upper bound of the value axis.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|bound| *bound >= max)
        .unwrap_or(10.0 * magnitude)
}

/// The report as an SVG document.
pub fn svg(report: &Report) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="chart-title" font-family="'Noto Sans CJK JP', 'Noto Sans JP', sans-serif" font-size="12"><title id="chart-title">{}</title><rect width="100%" height="100%" fill="#ffffff"/><text x="{LEFT}" y="22" font-size="16" font-weight="bold" fill="#1a1a1a">{}</text>"##,
        escape(&report.title),
        escape(&report.title),
    );
    let empty = report
        .rows
        .iter()
        .all(|row| row.values.iter().all(|value| *value == 0.0));
    if empty || report.columns.is_empty() {
        // seed 000 FAQ 18: no call data, no graph — say so instead of drawing nothing.
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#555555" data-empty="true">コールデータがありません / No call data</text>"##,
            WIDTH / 2.0,
            HEIGHT / 2.0
        );
    } else {
        match report.chart {
            ChartKind::Line => lines(report, &mut out),
            ChartKind::Bar | ChartKind::StackedBar => bars(report, &mut out),
            ChartKind::HeatMap => heat_map(report, &mut out),
            ChartKind::PrefectureMap => prefecture_map(report, &mut out),
        }
    }
    out.push_str("</svg>");
    out
}

/// The value axis (four gridlines with their figures) up to `max`.
fn value_axis(out: &mut String, max: f64) {
    let plot = HEIGHT - TOP - BOTTOM;
    for step in 0..=4 {
        let value = max * f64::from(step) / 4.0;
        let y = TOP + plot - plot * f64::from(step) / 4.0;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e0e0e0"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555555">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            figure(value)
        );
    }
}

/// Labels under the category axis: at most about twelve, evenly spaced.
fn category_labels(out: &mut String, labels: &[&str], x_of: impl Fn(usize) -> f64) {
    let every = labels.len().div_ceil(12).max(1);
    for (index, label) in labels.iter().enumerate().filter(|(index, _)| index % every == 0) {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555555">{}</text>"##,
            x_of(index),
            HEIGHT - BOTTOM + 16.0,
            escape(label)
        );
    }
}

/// The series' names and colours, under the chart.
fn legend(out: &mut String, report: &Report, columns: usize) {
    let mut x = LEFT;
    for (index, column) in report.columns.iter().take(columns).enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{colour}"/><text x="{:.1}" y="{:.1}" fill="#1a1a1a">{}</text>"##,
            HEIGHT - 22.0,
            x + 16.0,
            HEIGHT - 12.0,
            escape(&column.label)
        );
        x += 28.0 + column.label.chars().count() as f64 * 12.0;
    }
}

/// The columns a line or bar chart draws: those on one scale (a traffic table's seconds
/// would flatten its counts, so only the counts are drawn; the table keeps the seconds).
fn drawn_columns(report: &Report) -> usize {
    match report.columns.iter().position(|column| column.key == "seconds") {
        Some(seconds) => seconds,
        None => report.columns.len(),
    }
}

fn lines(report: &Report, out: &mut String) {
    let columns = drawn_columns(report);
    let max = nice_max(
        report
            .rows
            .iter()
            .flat_map(|row| row.values.iter().take(columns))
            .copied()
            .fold(0.0, f64::max),
    );
    value_axis(out, max);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot = HEIGHT - TOP - BOTTOM;
    let count = report.rows.len().max(2) - 1;
    let x_of = |index: usize| LEFT + plot_width * index as f64 / count as f64;
    let y_of = |value: f64| TOP + plot - plot * value / max;
    for column in 0..columns {
        let colour = PALETTE[column % PALETTE.len()];
        let points: Vec<String> = report
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| format!("{:.1},{:.1}", x_of(index), y_of(row.values[column])))
            .collect();
        let _ = write!(
            out,
            r#"<polyline class="series" fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            points.join(" ")
        );
        // Points carry the tooltips; many points make small ones.
        let radius = if report.rows.len() > 120 { 1.5 } else { 3.0 };
        for (index, row) in report.rows.iter().enumerate() {
            let _ = write!(
                out,
                r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="{radius}" fill="{colour}"><title>{} {}: {}</title></circle>"#,
                x_of(index),
                y_of(row.values[column]),
                escape(&row.label),
                escape(&report.columns[column].label),
                figure(row.values[column])
            );
        }
    }
    let labels: Vec<&str> = report.rows.iter().map(|row| row.label.as_str()).collect();
    category_labels(out, &labels, x_of);
    legend(out, report, columns);
}

fn bars(report: &Report, out: &mut String) {
    let stacked = report.chart == ChartKind::StackedBar;
    let columns = drawn_columns(report);
    // A traffic table's completed and incomplete calls stack to its calls: stack those two.
    let series: Vec<usize> = if stacked && columns >= 3 && report.columns[0].key == "calls" {
        vec![1, 2]
    } else if stacked {
        (0..columns).collect()
    } else {
        vec![0]
    };
    let total = |values: &[f64]| -> f64 {
        if stacked {
            series.iter().map(|index| values[*index]).sum()
        } else {
            values[0]
        }
    };
    let max = nice_max(
        report
            .rows
            .iter()
            .map(|row| total(&row.values))
            .fold(0.0, f64::max),
    );
    value_axis(out, max);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / report.rows.len().max(1) as f64;
    for (index, row) in report.rows.iter().enumerate() {
        let x = LEFT + slot * index as f64 + slot * 0.15;
        let mut base = TOP + plot;
        for (position, column) in series.iter().enumerate() {
            let value = row.values[*column];
            let height = plot * value / max;
            base -= height;
            let colour = PALETTE[position % PALETTE.len()];
            let _ = write!(
                out,
                r#"<rect class="bar" x="{x:.1}" y="{base:.1}" width="{:.1}" height="{height:.1}" fill="{colour}"><title>{} {}: {}</title></rect>"#,
                slot * 0.7,
                escape(&row.label),
                escape(&report.columns[*column].label),
                figure(value)
            );
        }
    }
    let labels: Vec<&str> = report.rows.iter().map(|row| row.label.as_str()).collect();
    category_labels(out, &labels, |index| LEFT + slot * index as f64 + slot / 2.0);
    if stacked {
        let mut x = LEFT;
        for (position, column) in series.iter().enumerate() {
            let label = &report.columns[*column].label;
            let _ = write!(
                out,
                r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{:.1}" fill="#1a1a1a">{}</text>"##,
                HEIGHT - 22.0,
                PALETTE[position % PALETTE.len()],
                x + 16.0,
                HEIGHT - 12.0,
                escape(label)
            );
            x += 28.0 + label.chars().count() as f64 * 12.0;
        }
    }
}

/// A shade of the first colour for `value` of `max` (white for none).
fn shade(value: f64, max: f64) -> String {
    if value <= 0.0 || max <= 0.0 {
        return "#f4f6f9".to_owned();
    }
    let strength = (value / max).clamp(0.0, 1.0);
    let channel = |light: f64, dark: f64| (light + (dark - light) * strength).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        channel(222.0, 31.0),
        channel(235.0, 95.0),
        channel(247.0, 168.0)
    )
}

fn heat_map(report: &Report, out: &mut String) {
    // Only rows with any calls (the matrix of 51 origins would be mostly blank).
    let rows: Vec<_> = report
        .rows
        .iter()
        .filter(|row| {
            report.chart != ChartKind::HeatMap
                || row.values.iter().any(|value| *value > 0.0)
                || report.rows.len() <= 7
        })
        .collect();
    let max = rows
        .iter()
        .flat_map(|row| row.values.iter())
        .copied()
        .fold(0.0, f64::max);
    let left = 120.0;
    let cell_width = (WIDTH - left - RIGHT) / report.columns.len().max(1) as f64;
    let cell_height = ((HEIGHT - TOP - BOTTOM) / rows.len().max(1) as f64).min(40.0);
    for (column, heading) in report.columns.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555555" font-size="10">{}</text>"##,
            left + cell_width * (column as f64 + 0.5),
            TOP - 4.0,
            escape(&heading.label)
        );
    }
    for (index, row) in rows.iter().enumerate() {
        let y = TOP + cell_height * index as f64;
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#1a1a1a">{}</text>"##,
            left - 6.0,
            y + cell_height / 2.0 + 4.0,
            escape(&row.label)
        );
        for (column, value) in row.values.iter().enumerate() {
            let _ = write!(
                out,
                r##"<rect class="cell" x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="#ffffff"><title>{} × {}: {}</title></rect>"##,
                left + cell_width * column as f64,
                cell_width,
                cell_height,
                shade(*value, max),
                escape(&row.label),
                escape(&report.columns[column].label),
                figure(*value)
            );
        }
    }
}

/// Each prefecture's tile (column, row) on a 13 × 12 grid, Hokkaido at the top right and
/// Okinawa at the bottom left: a common tile-grid cartogram of Japan.
const TILES: [(u8, u8); 47] = [
    (12, 0), // 北海道
    (11, 2), // 青森
    (11, 3), // 岩手
    (11, 4), // 宮城
    (10, 3), // 秋田
    (10, 4), // 山形
    (10, 5), // 福島
    (11, 6), // 茨城
    (10, 6), // 栃木
    (9, 6),  // 群馬
    (9, 7),  // 埼玉
    (11, 7), // 千葉
    (10, 7), // 東京
    (10, 8), // 神奈川
    (9, 5),  // 新潟
    (8, 5),  // 富山
    (7, 5),  // 石川
    (7, 6),  // 福井
    (9, 8),  // 山梨
    (8, 6),  // 長野
    (8, 7),  // 岐阜
    (8, 8),  // 静岡
    (7, 8),  // 愛知
    (6, 8),  // 三重
    (6, 7),  // 滋賀
    (5, 7),  // 京都
    (5, 8),  // 大阪
    (4, 7),  // 兵庫
    (6, 9),  // 奈良
    (5, 9),  // 和歌山
    (3, 7),  // 鳥取
    (2, 7),  // 島根
    (3, 8),  // 岡山
    (2, 8),  // 広島
    (1, 8),  // 山口
    (3, 10), // 徳島
    (3, 9),  // 香川
    (2, 9),  // 愛媛
    (2, 10), // 高知
    (0, 8),  // 福岡
    (0, 9),  // 佐賀
    (0, 10), // 長崎
    (1, 9),  // 熊本
    (1, 10), // 大分
    (1, 11), // 宮崎
    (0, 11), // 鹿児島
    (0, 13), // 沖縄
];

fn prefecture_map(report: &Report, out: &mut String) {
    let values: Vec<(Region, &str, f64)> = report
        .rows
        .iter()
        .filter_map(|row| {
            let code = row
                .key
                .parse::<u8>()
                .ok()
                .filter(|code| (1..=47).contains(code))?;
            Some((
                Region::Prefecture(code),
                row.label.as_str(),
                row.values.first().copied().unwrap_or(0.0),
            ))
        })
        .collect();
    let max = values.iter().map(|(_, _, value)| *value).fold(0.0, f64::max);
    let tile = 26.0;
    for (region, label, value) in &values {
        let Region::Prefecture(code) = region else {
            continue;
        };
        let (column, row) = TILES[usize::from(*code) - 1];
        let (x, y) = (LEFT + f64::from(column) * tile, TOP + f64::from(row) * tile);
        let _ = write!(
            out,
            r##"<rect class="tile" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="3" fill="{}" stroke="#ffffff"><title>{}: {}</title></rect>"##,
            tile - 2.0,
            tile - 2.0,
            shade(*value, max),
            escape(label),
            figure(*value)
        );
    }
    // The kinds without a prefecture, and the largest prefectures, listed beside the map.
    let mut ranked: Vec<_> = report
        .rows
        .iter()
        .filter(|row| row.values.first().copied().unwrap_or(0.0) > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.values[0].total_cmp(&a.values[0]));
    let x = LEFT + 15.0 * tile;
    for (index, row) in ranked.iter().take(12).enumerate() {
        let y = TOP + 20.0 + index as f64 * 24.0;
        let width = 260.0 * row.values[0] / ranked[0].values[0].max(1.0);
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" fill="#1a1a1a">{}</text><rect class="bar" x="{:.1}" y="{:.1}" width="{width:.1}" height="14" fill="{}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" fill="#555555">{}</text>"##,
            y + 11.0,
            escape(&row.label),
            x + 110.0,
            y,
            PALETTE[0],
            escape(&row.label),
            figure(row.values[0]),
            x + 116.0 + width,
            y + 11.0,
            figure(row.values[0])
        );
    }
}

#[cfg(test)]
mod tests {
    use madoguchi_types::analytics::{AppliedFilter, ReportColumn, ReportKind, ReportRow};

    use super::*;

    fn report(kind: ReportKind, rows: Vec<(&str, Vec<f64>)>, columns: &[&str]) -> Report {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("day");
        Report {
            report: kind,
            title: "発信地域別 <&>".to_owned(),
            chart: kind.chart(),
            filter: AppliedFilter {
                from: day,
                to: day,
                compare_from: None,
                compare_to: None,
                ans: Vec::new(),
                dns: None,
                weekdays: vec![1],
                hour_from: 0,
                hour_to: 24,
            },
            columns: columns
                .iter()
                .map(|key| ReportColumn {
                    key: (*key).to_owned(),
                    label: (*key).to_owned(),
                })
                .collect(),
            rows: rows
                .into_iter()
                .map(|(key, values)| ReportRow {
                    key: key.to_owned(),
                    label: format!("<{key}>"),
                    values,
                })
                .collect(),
            totals: Vec::new(),
            lines: None,
        }
    }

    #[test]
    fn every_kind_draws_one_mark_per_figure_with_its_tooltip() {
        let traffic = report(
            ReportKind::RecentTraffic,
            vec![("a", vec![3.0, 2.0, 1.0, 60.0]), ("b", vec![5.0, 5.0, 0.0, 90.0])],
            &["calls", "completed", "incomplete", "seconds"],
        );
        let drawn = svg(&traffic);
        // Three count series drawn (seconds stay in the table), a point per row each.
        assert_eq!(drawn.matches("<polyline").count(), 3);
        assert_eq!(drawn.matches("class=\"point\"").count(), 6);
        assert!(drawn.contains("&lt;a&gt; calls: 3"), "labels escaped in tooltips");
        assert!(drawn.contains("発信地域別 &lt;&amp;&gt;"));

        let stacked = svg(&report(
            ReportKind::PerNumber,
            traffic
                .rows
                .iter()
                .map(|row| (row.key.as_str(), row.values.clone()))
                .collect(),
            &["calls", "completed", "incomplete", "seconds"],
        ));
        assert_eq!(
            stacked.matches("class=\"bar\"").count(),
            4,
            "completed and incomplete stacked per row"
        );

        let heat = svg(&report(
            ReportKind::TimeOfDay,
            vec![("1", vec![0.0, 4.0]), ("2", vec![1.0, 0.0])],
            &["9", "10"],
        ));
        assert_eq!(heat.matches("class=\"cell\"").count(), 4);

        let mut rows: Vec<(String, Vec<f64>)> = (1..=47)
            .map(|code| (code.to_string(), vec![f64::from(code)]))
            .collect();
        rows.push(("mobile".to_owned(), vec![100.0]));
        let map = svg(&report(
            ReportKind::Origins,
            rows.iter()
                .map(|(key, values)| (key.as_str(), values.clone()))
                .collect(),
            &["calls"],
        ));
        assert_eq!(map.matches("class=\"tile\"").count(), 47);
        assert!(
            map.contains("&lt;mobile&gt;: 100"),
            "the kinds without a prefecture are listed"
        );
    }

    #[test]
    fn tiles_do_not_overlap() {
        let mut seen = std::collections::HashSet::new();
        for tile in TILES {
            assert!(seen.insert(tile), "{tile:?}");
        }
    }

    #[test]
    fn no_calls_says_so() {
        let empty = svg(&report(
            ReportKind::RecentTraffic,
            vec![("a", vec![0.0, 0.0, 0.0, 0.0])],
            &["calls", "completed", "incomplete", "seconds"],
        ));
        assert!(empty.contains("data-empty=\"true\""));
    }
}
