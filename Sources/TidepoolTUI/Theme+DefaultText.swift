extension Theme {
    /// The text of `themes/tidepool-dark.toml`, compiled in so the binary needs no theme files.
    /// A test checks it matches the file.
    public static let defaultThemeText = #"""
# Tidepool theme: tidepool-dark
# Tidepool's default: quiet greys on the terminal's own background, blue focus.
# The binary embeds a copy of this file (Theme+DefaultText.swift); keep them identical.
#
# fg/bg: 0-255, "#rrggbb" (mapped to the nearest xterm-256 colour), "default" or a name.
# fg8/bg8: the 8-colour fallback (derived when absent). Attributes: bold, dim, italic,
# underline, reverse.
name = "tidepool-dark"
description = "Tidepool's default: quiet greys on the terminal's own background, blue focus."

[roles]
text = { fg = 252 }
dim = { fg = 244 }
border = { fg = 239 }
borderFocused = { fg = 75, fg8 = "cyan", bold = true }
title = { fg = 250, bold = true }
titleFocused = { fg = 117, fg8 = "cyan", bold = true }
user = { fg = 180, fg8 = "yellow", bold = true }
assistant = { fg = 252 }
reasoning = { fg = 245, italic = true }
bold = { fg = 255, bold = true }
italic = { fg = 252, italic = true }
code = { fg = 215, bg = 236, fg8 = "yellow" }
codeBlock = { fg = 187, bg = 235, fg8 = "green" }
heading = { fg = 111, fg8 = "blue", bold = true }
quote = { fg = 246, italic = true }
link = { fg = 81, fg8 = "cyan", underline = true }
listMarker = { fg = 73, fg8 = "cyan", bold = true }
error = { fg = 203, fg8 = "red", bold = true }
warning = { fg = 221, fg8 = "yellow" }
ok = { fg = 114, fg8 = "green" }
accent = { fg = 141, fg8 = "magenta" }
panelLabel = { fg = 245 }
panelValue = { fg = 253, bold = true }
bar = { fg = 238 }
barFill = { fg = 74, fg8 = "cyan" }
barQueued = { fg = 214, fg8 = "yellow", bold = true }
sparkline = { fg = 80, fg8 = "cyan" }
highlight = { fg = 16, bg = 222, fg8 = "black", bg8 = "yellow" }
alert = { fg = 231, bg = 160, fg8 = "white", bg8 = "red", bold = true }
selection = { fg = 255, bg = 24, fg8 = "white", bg8 = "blue" }
statusBar = { fg = 252, bg = 236, fg8 = "black", bg8 = "white" }
statusKey = { fg = 16, bg = 74, fg8 = "black", bg8 = "cyan", bold = true }
input = { fg = 255 }
inputPlaceholder = { fg = 242, italic = true }
help = { fg = 250 }
helpKey = { fg = 222, fg8 = "yellow", bold = true }

"""#
}
