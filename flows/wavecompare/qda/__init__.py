"""Reading what coders hand over: the exports of NVivo, ATLAS.ti, MAXQDA, Taguette and REFI-QDA projects, each
into one shape (`export.Export`), treated as hostile files."""
