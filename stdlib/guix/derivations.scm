;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix derivations): derivations, as Guix makes them.
;;;
;;; A <derivation> is the record of a .drv file: outputs, input derivations
;;; with the outputs they use, input sources, system, builder, arguments and
;;; environment.  'derivation' computes output paths from the hash modulo
;;; fixed-output derivations, writes the .drv file (Guix's ATerm text,
;;; byte for byte) to the store and returns the record; 'read-derivation-
;;; from-file' parses one back.  The work is done in Python
;;; (schemos/store/api.py, schemos/store/derivation.py).

(define-module (guix derivations)
  #:use-module ((schemos store) #:renamer (symbol-prefix-proc '%))
  #:use-module (guix utils)
  #:export (derivation
            derivation?
            derivation-file-name
            derivation-name
            derivation-system
            derivation-builder
            derivation-builder-arguments
            derivation-builder-environment-vars
            derivation-sources
            derivation-outputs
            derivation-output-names
            derivation-output?
            derivation-output-path
            derivation-output-hash-algo
            derivation-output-hash
            derivation-output-recursive?
            derivation->output-path
            derivation->output-paths
            derivation-path->output-path
            derivation-inputs
            derivation-input
            derivation-input?
            derivation-input-path
            derivation-input-derivation
            derivation-input-sub-derivations
            derivation-input-output-paths
            derivation-input-output-path
            fixed-output-derivation?
            derivation-hash
            derivation-properties
            derivation->string
            read-derivation-from-file
            fixed-output-path
            raw-derivation))

(define (derivation store name builder args . rest)
  "Build a derivation with the given arguments and return it; see Guix's
manual for the keyword arguments (#:system, #:env-vars, #:inputs, #:sources,
#:outputs, #:hash, #:hash-algo, #:recursive?, #:references-graphs,
#:allowed-references, #:disallowed-references, #:leaked-env-vars,
#:local-build?, #:substitutable?, #:properties).  #:system defaults to
(%current-system)."
  (apply %derivation store name builder args
         (if (memq #:system rest)
             rest
             (cons* #:system (%current-system) rest))))

(define (raw-derivation name builder args . rest)
  "The store-monadic counterpart of 'derivation'."
  (lambda (store)
    (apply derivation store name builder args rest)))

(define derivation? %derivation?)
(define derivation-file-name %derivation-file-name)
(define derivation-name %derivation-name)
(define derivation-system %derivation-system)
(define derivation-builder %derivation-builder)
(define derivation-builder-arguments %derivation-builder-arguments)
(define derivation-builder-environment-vars %derivation-builder-environment-vars)
(define derivation-sources %derivation-sources)
(define derivation-outputs %derivation-outputs)
(define derivation-output-names %derivation-output-names)
(define derivation-output? %derivation-output?)
(define derivation-output-path %derivation-output-path)
(define derivation-output-hash-algo %derivation-output-hash-algo)
(define derivation-output-hash %derivation-output-hash)
(define derivation-output-recursive? %derivation-output-recursive?)
(define derivation->output-path %derivation->output-path)
(define derivation->output-paths %derivation->output-paths)
(define derivation-path->output-path %derivation-path->output-path)
(define derivation-inputs %derivation-inputs)
(define derivation-input %derivation-input)
(define derivation-input? %derivation-input?)
(define derivation-input-path %derivation-input-path)
(define derivation-input-derivation %derivation-input-derivation)
(define derivation-input-sub-derivations %derivation-input-sub-derivations)
(define derivation-input-output-paths %derivation-input-output-paths)
(define fixed-output-derivation? %fixed-output-derivation?)
(define derivation-hash %derivation-hash)
(define derivation-properties %derivation-properties)
(define derivation->string %derivation->string)
(define read-derivation-from-file %read-derivation-from-file)
(define fixed-output-path %fixed-output-path)

(define (derivation-input-output-path input)
  "The store path of the first output INPUT uses."
  (car (derivation-input-output-paths input)))
