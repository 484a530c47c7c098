;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system mapped-devices): device mappings (LUKS, RAID, LVM) and the
;;; Shepherd services that open them.
;;;
;;; The model of GNU Guix 1.5's module of the same name.
;;;
;;; Where schemos differs from Guix, and why: the open and close gexps of the
;;; mapping kinds are kept to what the Shepherd service needs to name the
;;; tools; Guix's run-time checks of the source devices are done on the
;;; installed system, not when a configuration is evaluated.

(define-module (gnu system mapped-devices)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system uuid)
  #:export (%mapped-device
            mapped-device
            mapped-device?
            mapped-device-source
            mapped-device-target
            mapped-device-targets
            mapped-device-type
            mapped-device-location

            mapped-device-kind
            mapped-device-kind?
            mapped-device-kind-open
            mapped-device-kind-close
            mapped-device-kind-check
            mapped-device-kind-modules

            device-mapping-service-type
            device-mapping-service

            luks-device-mapping
            raid-device-mapping
            lvm-device-mapping))

(define-record-type* <mapped-device> mapped-device
  make-mapped-device
  mapped-device?
  (source    mapped-device-source)                ;string | list of strings
  (targets   mapped-device-targets)               ;list of strings
  (type      mapped-device-type)                  ;<mapped-device-kind>
  (location  mapped-device-location
             (default (current-source-location)) (innate)))

(define %mapped-device make-mapped-device)

(define (mapped-device-target md)
  "Return the first target of MD, a <mapped-device>."
  (car (mapped-device-targets md)))

(define-record-type* <mapped-device-type> mapped-device-kind
  make-mapped-device-kind
  mapped-device-kind?
  (open      mapped-device-kind-open)             ;source target -> gexp
  (close     mapped-device-kind-close             ;source target -> gexp
             (default (const #~(const #f))))
  (check     mapped-device-kind-check             ;source -> Boolean
             (default (const #t)))
  (modules   mapped-device-kind-modules           ;list of module names
             (default '())))


;;;
;;; Device mapping as a Shepherd service.
;;;

(define (mapped-device->shepherd-service-name md)
  (string->symbol (string-append "device-mapping-"
                                 (string-join (mapped-device-targets md) "-"))))

(define device-mapping-service-type
  (shepherd-service-type
   'device-mapping
   (lambda (md)
     (let ((source  (mapped-device-source md))
           (targets (mapped-device-targets md))
           (type    (mapped-device-type md)))
       (shepherd-service
        (provision (list (mapped-device->shepherd-service-name md)))
        (requirement '(udev))
        (documentation "Map a device node using Linux's device mapper.")
        (start #~(lambda () #$((mapped-device-kind-open type) source targets)))
        (stop #~(lambda _ (not #$((mapped-device-kind-close type)
                                  source targets))))
        (modules (append %default-modules (mapped-device-kind-modules type)))
        (respawn? #f))))
   (description "Map a device node using Linux's device mapper.")))

(define (device-mapping-service mapped-device)
  "Return a service that sets up the device mapping MAPPED-DEVICE."
  (service device-mapping-service-type mapped-device))


;;;
;;; Common device mappings.
;;;

(define (device-spec source)
  (if (uuid? source) (uuid->string source) source))

(define (open-luks-device source targets)
  "A gexp that opens SOURCE as the LUKS device TARGETS (one target)."
  #~(invoke "cryptsetup" "open" "--type" "luks"
            #$(device-spec source) #$(car targets)))

(define (close-luks-device source targets)
  "A gexp that closes the LUKS device TARGETS."
  #~(zero? (system* "cryptsetup" "close" #$(car targets))))

(define luks-device-mapping
  ;; The type of LUKS mapped devices.
  (mapped-device-kind
   (open open-luks-device)
   (close close-luks-device)
   (modules '((rnrs bytevectors)                  ;bytevector->uuid
              ((gnu build file-systems)
               #:select (find-partition-by-luks-uuid system*/tty))))))

(define (open-raid-device sources targets)
  "A gexp that assembles SOURCES into the RAID device TARGETS (one target)."
  #~(invoke "mdadm" "--assemble" #$(car targets) #$@sources))

(define (close-raid-device sources targets)
  "A gexp that stops the RAID device TARGETS."
  #~(zero? (system* "mdadm" "--stop" #$(car targets))))

(define raid-device-mapping
  ;; The type of RAID mapped devices.
  (mapped-device-kind
   (open open-raid-device)
   (close close-raid-device)))

(define (open-lvm-device source targets)
  "A gexp that activates the LVM volumes TARGETS of group SOURCE."
  #~(and (zero? (system* "lvm" "vgscan" "--mknodes"))
         (every (lambda (file) (zero? (system* "lvm" "lvchange" "-aay" file)))
                '#$targets)))

(define (close-lvm-device source targets)
  "A gexp that deactivates the LVM volumes TARGETS."
  #~(zero? (apply system* "lvm" "lvchange" "-an" '#$targets)))

(define lvm-device-mapping
  ;; The type of LVM mapped devices.
  (mapped-device-kind
   (open open-lvm-device)
   (close close-lvm-device)
   (modules '((srfi srfi-1)))))
