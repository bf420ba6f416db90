# Sourced by the Makefile's shell steps: tools installed by setup.sh come first on PATH.
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
