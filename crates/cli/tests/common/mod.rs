//! What the command-line tests share: running the built binary.

#![allow(dead_code)]

use std::process::Command;

/// Runs `juesuan ARGS`: (exit code, stdout, stderr).
pub fn juesuan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .expect("run juesuan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
