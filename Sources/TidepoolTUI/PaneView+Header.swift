import TidepoolChat

extension PaneView {
    /// A pane's title and state for a header `width` columns wide, so that the state always
    /// shows: what a pane is doing ("● streaming", "■ cancelled") matters more than the full
    /// name of the model doing it. What gives way, in order:
    /// 1. the provider (`1 sim-anthropic:sim-thinker` becomes `1 sim-thinker`): the panes of
    ///    one screen usually differ by model, and Alt-M shows the full name;
    /// 2. the model name's end (`1 llama3.1:8b-instr…`), keeping at least
    ///    ``minimumModelColumns`` of it;
    /// 3. the state's word (`●` instead of `● streaming`): the symbol still tells every
    ///    state apart, in monochrome too;
    /// 4. last, the name is cut to whatever is left.
    ///
    /// - Parameters:
    ///   - bordered: the header is the top border of a frame (the title and state each get a
    ///     space either side and keep clear of the corners); false: a plain row of a compact
    ///     pane, title and state separated by one space.
    /// - Returns: the title (possibly empty) and the state text (possibly only its symbol, or
    ///   empty when not even that fits).
    static func header(number: Int, provider: String, model: String, status: PaneStatus, width: Int, bordered: Bool)
        -> (title: String, status: String)
    {
        let number = "\(number) "
        let state = statusText(status)
        let symbol = String(state.prefix(1))
        // Columns around the two texts: a frame's corners, the spaces either side of each
        // text and one column of border between them; a plain row's one separating space.
        let chrome = bordered ? 8 : 1
        let candidates = [number + provider + ":" + model, number + model]
        for stateText in [state, symbol] {
            let room = width - chrome - TextWidth.width(of: stateText)
            if let fitting = candidates.first(where: { TextWidth.width(of: $0) <= room }) {
                return (fitting, stateText)
            }
            if room >= TextWidth.width(of: number) + minimumModelColumns {
                return (Block.truncate(number + model, to: room), stateText)
            }
        }
        let room = width - chrome - 1
        guard room > 0 else { return (Block.truncate(number + model, to: max(0, width - (bordered ? 4 : 0))), "") }
        return (Block.truncate(number + model, to: room), symbol)
    }

    /// The fewest columns of a model's name shown before the state gives up its word.
    static let minimumModelColumns = 8
}
