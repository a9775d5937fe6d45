import ArgumentParser
import Foundation
import TidepoolProviders
import TidepoolStore
import TidepoolTUI

/// What the shell completes beyond commands and flags (`tidepool --generate-completion-script
/// bash|zsh|fish`): found at the moment Tab is pressed, so a theme added to the config
/// directory or a `[providers.NAME]` table completes without regenerating the script.
enum Completions {
    /// The theme names the chat screen would find: the bundled ones and the user's.
    static let themes = CompletionKind.custom { _, _, _ in
        let paths = ConfigPaths(environment: ProcessInfo.processInfo.environment, commandLineConfig: nil)
        return ThemeCatalog(directories: ThemeCatalog.standardDirectories(userConfigDirectory: paths.configDirectory)).names
    }

    /// `PROVIDER:` for every provider a model reference may name: the built-in presets, the
    /// simulator's and the config file's tables (the model part is the server's to know).
    static let providers = CompletionKind.custom { _, _, _ in
        let environment = ProcessInfo.processInfo.environment
        let paths = ConfigPaths(environment: environment, commandLineConfig: nil)
        let configured = (try? ConfigLoader.load(paths: paths, environment: environment))?.config.providers.keys
        var names = ProviderPreset.all.map(\.id) + ProviderPreset.simulatorIDs + (configured.map(Array.init) ?? [])
        var seen = Set<String>()
        names = names.filter { seen.insert($0).inserted }
        return names.map { $0 + ":" }
    }
}
