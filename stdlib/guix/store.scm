;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix store): the store and the store monad.
;;;
;;; A store "connection" is a schemos store on disk: its items are logically
;;; in /gnu/store (so every path is Guix's) and physically under a root
;;; directory -- the --store option, else $SCHEMOS_STORE, else
;;; $XDG_DATA_HOME/schemos/store -- with an SQLite database of valid paths,
;;; references and derivers (schemos/store/disk.py).  The arithmetic of
;;; every path is Guix's (schemos/store/paths.py); there is no daemon.
;;;
;;; (open-connection #:memory? #t) opens a store that computes paths and
;;; keeps derivations in memory without writing anything.

(define-module (guix store)
  #:use-module (schemos store)
  #:use-module (guix monads)
  #:use-module (guix utils)
  #:re-export (open-connection
               close-connection
               store-connection?
               nix-server?
               store-physical-root
               add-text-to-store
               add-data-to-store
               add-to-store
               fixed-output-path
               store-path?
               direct-store-path?
               store-path-package-name
               store-path-hash-part
               valid-path?
               references

               %store-monad
               store-return
               store-bind)
  #:export (%store-prefix
            %store-directory
            %default-substitute-urls
            %guile-for-build
            %graft?
            with-store
            store-lift
            store-lower
            run-with-store
            text-file
            binary-file
            interned-file
            current-system
            set-current-system
            current-target-system
            set-grafting
            grafting?
            build-derivations
            build-things))

(define %store-directory "/gnu/store")

(define %store-prefix
  ;; A parameter, as in Guix: (%store-prefix) is "/gnu/store".
  (make-parameter %store-directory))

(define %default-substitute-urls
  '("https://bordeaux.guix.gnu.org" "https://ci.guix.gnu.org"))

(define %guile-for-build
  ;; The derivation of the Guile that runs builders, or #f for the default.
  (make-parameter #f))

(define %graft?
  ;; schemos does not graft: packages' replacements are not applied.
  (make-parameter #f))

;; (with-store STORE EXP ...): run EXP ... with STORE bound to a connection
;; to the store, closed (and its database flushed) afterwards.
(define-syntax with-store
  (syntax-rules ()
    ((_ store exp ...)
     (let ((store (open-connection)))
       (dynamic-wind
         (lambda () #f)
         (lambda () exp ...)
         (lambda () (close-connection store)))))))

(define (store-lift proc)
  "Lift PROC, a procedure whose first argument is a store, to the store monad."
  (lambda args
    (lambda (store)
      (apply proc store args))))

(define (store-lower proc)
  "Lower PROC, a monadic procedure, to a procedure taking a store first."
  (lambda (store . args)
    (run-with-store store (apply proc args))))

(define* (run-with-store store mval
                         #:key
                         (guile-for-build (%guile-for-build))
                         (system (%current-system))
                         (target #f))
  "Run MVAL, a value in the store monad, in STORE, for SYSTEM and TARGET."
  (parameterize ((%guile-for-build guile-for-build)
                 (%current-system system)
                 (%current-target-system target))
    (if (procedure? mval)
        (mval store)
        mval)))

(define* (text-file name text #:optional (references '()))
  "Return as a monadic value the file name of a store item called NAME
holding TEXT, a string, and referring to the store items REFERENCES."
  (lambda (store)
    (add-text-to-store store name text references)))

(define* (binary-file name data #:optional (references '()))
  "Like 'text-file', for DATA, a bytevector."
  (lambda (store)
    (add-data-to-store store name data references)))

(define (true file stat) #t)

(define* (interned-file file #:optional (name (basename file))
                        #:key (recursive? #t) (select? true))
  "Return as a monadic value the store file name of FILE once added to the
store under NAME, recursively (the default) or flat."
  (lambda (store)
    (add-to-store store name recursive? "sha256" file
                  #:select? (if (eq? select? true) #f select?))))

(define (current-system)
  "The current system, as a monadic value."
  (lambda (store) (%current-system)))

(define (set-current-system system)
  "Set the current system; return the previous one, monadically."
  (lambda (store)
    (let ((old (%current-system)))
      (%current-system system)
      old)))

(define (current-target-system)
  "The current cross-compilation target, or #f, as a monadic value."
  (lambda (store) (%current-target-system)))

(define (set-grafting enable?)
  "Grafts are not applied by schemos; return #f, monadically."
  (lambda (store) #f))

(define (grafting?)
  "Whether grafting is enabled (never, in schemos), monadically."
  (lambda (store) #f))

(define* (build-derivations store derivations #:optional mode)
  "Building needs a Guix daemon; schemos writes derivations only."
  (error "build-derivations: schemos does not build derivations; use a Guix daemon, e.g. guix build"
         (map derivation-file-name derivations)))

(define* (build-things store things #:optional mode)
  "See 'build-derivations'."
  (error "build-things: schemos does not build store items" things))
