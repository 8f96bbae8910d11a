//! Embeds every file under the repository's `resources/` folder so the binary
//! runs from anywhere; adding a language is adding a folder, no code change.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "tsv" || e == "gz") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.join("../../resources").canonicalize().expect("resources/ folder");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let mut code = String::from("/// Every embedded resource: (path relative to resources/, content).\npub static FILES: &[(&str, &str)] = &[\n");
    for (rel, path) in files.iter().filter(|(rel, _)| !rel.ends_with(".gz")) {
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    code.push_str("/// Every embedded binary resource (gzipped models): (path, bytes).\npub static BINARY_FILES: &[(&str, &[u8])] = &[\n");
    for (rel, path) in files.iter().filter(|(rel, _)| rel.ends_with(".gz")) {
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    fs::write(PathBuf::from(env::var("OUT_DIR").unwrap()).join("resources.rs"), code).unwrap();
}
