/// Something that draws itself into a rectangle of a screen. A widget's one duty is `render`:
/// it reads no global state and draws nothing outside `area`.
public protocol Widget {
    /// Draws into `area` of `screen` with the roles of `theme`.
    func render(into screen: inout Screen, area: Rect, theme: Theme)
}
