//! Embeds the front-end libraries from npm into the binary. They come from the
//! workspace's package.json and its lock file; when node_modules is missing
//! (a fresh clone), `npm ci` installs exactly the locked versions first.

use std::path::{Path, PathBuf};
use std::process::Command;

const ASSETS: &[(&str, &str)] = &[
    ("HTMX_JS", "node_modules/htmx.org/dist/htmx.min.js"),
    ("ECHARTS_JS", "node_modules/echarts/dist/echarts.min.js"),
];

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest
        .join("../..")
        .canonicalize()
        .expect("workspace root");
    println!(
        "cargo:rerun-if-changed={}",
        root.join("package-lock.json").display()
    );
    let missing = ASSETS.iter().any(|(_, p)| !root.join(p).exists());
    if missing {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--omit=dev"])
            .current_dir(&root)
            .status();
        match status {
            Ok(s) if s.success() => {}
            other => panic!(
                "front-end libraries are missing and `npm ci` failed ({other:?}); run `npm ci` in {}",
                root.display()
            ),
        }
    }
    for (var, rel) in ASSETS {
        let path: &Path = &root.join(rel);
        println!("cargo:rerun-if-changed={}", path.display());
        println!("cargo:rustc-env={var}={}", path.display());
    }
}
