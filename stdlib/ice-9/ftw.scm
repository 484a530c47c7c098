;;; (ice-9 ftw): walking the file system.
;;;
;;; `file-system-fold', `file-system-tree' and `scandir' are builtins (see
;;; schemos/runtime/files.py), re-exported here; `ftw' and `nftw' are
;;; missing.  Stat objects are Guile's vectors, read with `stat:type' and
;;; friends (core builtins).

(define-module (ice-9 ftw)
  #:re-export (file-system-fold file-system-tree scandir))
