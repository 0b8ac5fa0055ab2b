import CorpusCore
import CorpusEngine
import CorpusExport
#if canImport(Glibc)
import Glibc
#endif

/// The report's charts: inline SVG drawn here (no charting library). Coordinates are written with one
/// decimal; every mark carries its exact numbers in `data-*` attributes and a `<title>` (the tooltip).
enum Chart {
    /// The drawing width of every chart (the SVG scales to the page through its viewBox).
    static let width = 960.0

    /// A coordinate as written in the SVG.
    static func f(_ d: Double) -> String { NumberFormat.fixed(d, decimals: 1) }

    /// The opening `<svg>` tag of a chart with its accessible name and description.
    static func open(height: Double, label: String, id: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(HTML.esc(id))\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" role=\"img\" aria-labelledby=\"\(HTML.esc(id))-title\">"
            + "<title id=\"\(HTML.esc(id))-title\">\(HTML.esc(label))</title>\n"
    }

    /// Round axis ticks from 0 to at least `maximum`: steps of 1, 2 or 5 × 10^k, at most 6 of them.
    /// With `integers` (counts) the step is at least 1.
    static func niceTicks(_ maximum: Double, integers: Bool = false) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let raw = maximum / 5
        let magnitude = pow(10, floor(log10(raw)))
        let nice = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let step = integers ? max(1, nice) : nice
        var ticks: [Double] = [0]
        while ticks.last! < maximum && ticks.count < 12 { ticks.append(Double(ticks.count) * step) }
        return ticks
    }

    /// A tick label: integers grouped, fractions with up to two decimals.
    static func tickLabel(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return groupedThousands(Int64(v)) }
        return NumberFormat.fixed(v, decimals: v < 1 ? 2 : 1)
    }
}

/// The time axis shared by the charts: the periods from the first to the last dated document, placed by
/// their real start days (a month is as wide as its days; a period without documents keeps its place).
struct TimeAxis {
    let by: Granularity
    let first: Int64
    let last: Int64
    let left: Double
    let right: Double

    var startDay: Int64 { by.startDay(ofOrdinal: first) }
    var endDay: Int64 { by.startDay(ofOrdinal: last + 1) }
    var periods: [Int64] { Array(first...last) }

    func x(day: Int64) -> Double {
        let span = Double(max(1, endDay - startDay))
        return left + Double(day - startDay) / span * (right - left)
    }
    func x0(_ p: Int64) -> Double { x(day: by.startDay(ofOrdinal: p)) }
    func x1(_ p: Int64) -> Double { x(day: by.startDay(ofOrdinal: p + 1)) }
    func mid(_ p: Int64) -> Double { (x0(p) + x1(p)) / 2 }

    /// Periods labelled on the axis: every k-th, at most `maximum` of them.
    func ticks(maximum: Int = 9) -> [Int64] {
        let n = Int(last - first) + 1
        let step = max(1, (n + maximum - 1) / maximum)
        return stride(from: first, through: last, by: step).map { $0 }
    }

    /// The axis line, tick marks and period labels at height `y`.
    func draw(y: Double) -> String {
        var out = "<g class=\"axis x\"><line x1=\"\(Chart.f(left))\" y1=\"\(Chart.f(y))\" x2=\"\(Chart.f(right))\" y2=\"\(Chart.f(y))\"/>"
        for p in ticks() {
            let x = x0(p)
            out += "<line x1=\"\(Chart.f(x))\" y1=\"\(Chart.f(y))\" x2=\"\(Chart.f(x))\" y2=\"\(Chart.f(y + 5))\"/>"
            out += "<text x=\"\(Chart.f(x + 2))\" y=\"\(Chart.f(y + 18))\" font-size=\"13\">\(HTML.esc(by.label(ofOrdinal: p)))</text>"
        }
        return out + "</g>\n"
    }
}

/// How series `i` is drawn: a colour, a dash pattern and a marker shape, so that lines stay apart in
/// greyscale and for colour-blind readers (the colours also differ in lightness).
struct SeriesStyle {
    static let colours = ["#1f3b73", "#e08a1e", "#2e8b57", "#9b59b6", "#b03a2e", "#5f6f7f", "#c9b400", "#111111"]
    static let dashes = ["", "9 4", "2 3", "12 3 2 3", "5 5", "1 4", "14 4", "6 2 1 2"]
    static let markers = ["circle", "square", "triangle", "diamond", "down", "cross", "circle", "square"]

    let colour: String
    let dash: String
    let marker: String

    init(_ i: Int) {
        colour = Self.colours[i % Self.colours.count]
        dash = Self.dashes[i % Self.dashes.count]
        marker = Self.markers[(i + i / Self.markers.count) % Self.markers.count]
    }

    var dashAttribute: String { dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"" }

    /// The marker's path centred on (x, y) (a circle is written as `<circle>`).
    func markerShape(x: Double, y: Double, attributes: String, inner: String = "") -> String {
        let r = 4.5
        let f = Chart.f
        switch marker {
        case "circle":
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" fill=\"\(colour)\"\(attributes)>\(inner)</circle>"
        case "square":
            return "<rect x=\"\(f(x - r))\" y=\"\(f(y - r))\" width=\"\(f(2 * r))\" height=\"\(f(2 * r))\" fill=\"#fff\" stroke=\"\(colour)\" stroke-width=\"2\"\(attributes)>\(inner)</rect>"
        case "triangle":
            return "<path d=\"M\(f(x)) \(f(y - r - 1))L\(f(x + r + 1)) \(f(y + r))L\(f(x - r - 1)) \(f(y + r))Z\" fill=\"\(colour)\"\(attributes)>\(inner)</path>"
        case "diamond":
            return "<path d=\"M\(f(x)) \(f(y - r - 1))L\(f(x + r + 1)) \(f(y))L\(f(x)) \(f(y + r + 1))L\(f(x - r - 1)) \(f(y))Z\" fill=\"#fff\" stroke=\"\(colour)\" stroke-width=\"2\"\(attributes)>\(inner)</path>"
        case "down":
            return "<path d=\"M\(f(x - r - 1)) \(f(y - r))L\(f(x + r + 1)) \(f(y - r))L\(f(x)) \(f(y + r + 1))Z\" fill=\"#fff\" stroke=\"\(colour)\" stroke-width=\"2\"\(attributes)>\(inner)</path>"
        default:
            return "<path d=\"M\(f(x - r)) \(f(y - r))L\(f(x + r)) \(f(y + r))M\(f(x - r)) \(f(y + r))L\(f(x + r)) \(f(y - r))\" stroke=\"\(colour)\" stroke-width=\"2.5\" fill=\"none\"\(attributes)>\(inner)</path>"
        }
    }

    /// A small legend swatch: the line with its dash pattern and marker.
    var swatch: String {
        "<svg viewBox=\"0 0 42 14\" aria-hidden=\"true\"><line x1=\"1\" y1=\"7\" x2=\"41\" y2=\"7\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dashAttribute)/>"
            + markerShape(x: 21, y: 7, attributes: "") + "</svg>"
    }
}
