/// The xterm-256 palette and nearest-colour mapping, used to turn a theme's published `#rrggbb`
/// colours into indices every 256-colour terminal shows the same way.
public enum XTermPalette {
    /// An RGB triple.
    public typealias RGB = (red: Int, green: Int, blue: Int)

    /// The channel levels of the 6x6x6 cube (indices 16-231).
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// xterm's defaults for indices 0-15 (terminals let users change these, which is why
    /// `nearestIndex` never picks them).
    static let basic: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
        (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
        (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value of a palette index.
    public static func rgb(ofIndex index: UInt8) -> RGB {
        let i = Int(index)
        if i < 16 { return basic[i] }
        if i < 232 {
            let n = i - 16
            return (cubeLevels[n / 36], cubeLevels[(n / 6) % 6], cubeLevels[n % 6])
        }
        let grey = 8 + (i - 232) * 10
        return (grey, grey, grey)
    }

    /// The nearest index in the fixed part of the palette (the cube and the grey ramp, 16-255).
    public static func nearestIndex(red: Int, green: Int, blue: Int) -> UInt8 {
        func nearestLevel(_ v: Int) -> Int {
            var best = 0
            for (i, level) in cubeLevels.enumerated() where abs(level - v) < abs(cubeLevels[best] - v) {
                best = i
            }
            return best
        }
        let (r, g, b) = (nearestLevel(red), nearestLevel(green), nearestLevel(blue))
        let cubeIndex = 16 + 36 * r + 6 * g + b
        let cubeDistance = distance((red, green, blue), rgb(ofIndex: UInt8(cubeIndex)))

        let average = (red + green + blue) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let greyIndex = 232 + greyStep
        let greyDistance = distance((red, green, blue), rgb(ofIndex: UInt8(greyIndex)))
        return UInt8(greyDistance < cubeDistance ? greyIndex : cubeIndex)
    }

    /// The nearest of the 8 basic colours for an 8-colour terminal, or nil when the colour is a
    /// grey (greys map to the terminal's own default colours, which are always readable, rather
    /// than to black or white, which may be the background).
    public static func nearestBasic(_ color: TerminalColor) -> TerminalColor {
        switch color {
        case .default: return .default
        case .ansi(let n): return .ansi(n & 7)
        case .indexed(let i):
            if i < 16 { return .ansi(i & 7) }
            let c = rgb(ofIndex: i)
            let high = max(c.red, c.green, c.blue)
            let low = min(c.red, c.green, c.blue)
            if high - low < 40 { return .default }
            var best = 1
            var bestDistance = Int.max
            for n in 1...6 {
                let d = distance(c, basic[n])
                if d < bestDistance {
                    best = n
                    bestDistance = d
                }
            }
            return .ansi(UInt8(best))
        }
    }

    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = a.red - b.red
        let dg = a.green - b.green
        let db = a.blue - b.blue
        return dr * dr + dg * dg + db * db
    }
}
