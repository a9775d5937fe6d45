/// Loaded themes by name and colour mode, so switching back and forth (Ctrl-T) or drawing a
/// frame never reads a theme file twice. Not thread-safe: the UI thread owns it.
public final class ThemeCache {
    /// Where themes are found.
    public let catalog: ThemeCatalog
    private var loaded: [String: (Theme, ThemeError?)] = [:]

    /// A cache over `catalog`.
    public init(catalog: ThemeCatalog) { self.catalog = catalog }

    /// The theme called `name` for `mode`, or the default with the error that prevented loading it.
    public func theme(named name: String, mode: ColorMode) -> (Theme, ThemeError?) {
        let key = "\(name)\u{0}\(mode)"
        if let hit = loaded[key] { return hit }
        let result = catalog.loadOrDefault(name, mode: mode)
        loaded[key] = result
        return result
    }
}
